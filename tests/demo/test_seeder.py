import pytest
from django.core.management import call_command

from companies.models import Company
from demo.seeder import JOINED_LATER, PILOT_EQUIPPING, PILOTS_OPEN
from exhibitions.models import Exhibition
from matchmaking.models import Meeting
from needs.models import Need, NeedPhoto, NeedStatus
from tours.models import Tour

pytestmark = pytest.mark.django_db


def _snapshot():
    return {
        "needs": list(Need.objects.order_by("pk").values_list("pk", "title", "annual_fx_usd", "status", "shelf_id", "shelf_position", "updated_at")),
        "companies": list(Company.objects.order_by("pk").values_list("pk", "national_id", "updated_at")),
        "photos": list(NeedPhoto.objects.order_by("pk").values_list("pk", "image")),
        "exhibitions": list(Exhibition.objects.order_by("pk").values_list("pk", "status")),
        "tours": Tour.objects.count(),
        "meetings": Meeting.objects.count(),
    }


@pytest.mark.slow
def test_seed_reproduces_the_published_figures_and_is_idempotent(client, settings):
    call_command("seed_demo", stdout=open("/dev/null", "w"))

    stats = client.get("/api/stats/").json()
    assert stats["provinces"] == 31
    assert stats["provinces_with_open_exhibitions"] == 16
    assert stats["needs"] == 1293
    assert stats["buyer_companies"] == 1204
    assert stats["annual_fx_usd"] > 1_000_000_000
    assert {row["slug"] for row in stats["by_sector"]} >= {"textile", "auto-parts", "steel-mining"}
    assert all(row["needs"] > 0 for row in stats["by_sector"])
    assert sum(row["needs"] for row in stats["by_province"]) == 1293

    open_slugs = set(Exhibition.objects.filter(status="open").values_list("province__slug", flat=True))
    assert open_slugs == set(PILOTS_OPEN) | set(JOINED_LATER)
    assert Exhibition.objects.get(province__slug=PILOT_EQUIPPING).status == "equipping"
    assert Exhibition.objects.filter(is_pilot=True).count() == 12
    assert Exhibition.objects.filter(status="planned").count() == 31 - 17

    displayed = Need.objects.filter(status=NeedStatus.ON_DISPLAY)
    assert displayed.count() > 1000
    assert not displayed.filter(shelf__isnull=True).exists()
    assert NeedPhoto.objects.filter(is_primary=True).count() == 1293
    photo = NeedPhoto.objects.first()
    assert (settings.MEDIA_ROOT / photo.image.name).stat().st_size > 5000
    assert Tour.objects.exists() and Meeting.objects.exists()

    before = _snapshot()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert _snapshot() == before


def test_seed_scales_with_needs_option():
    call_command("seed_demo", "--needs", "300", "--no-photos", stdout=open("/dev/null", "w"))
    assert Need.objects.count() == 300
    assert Company.objects.filter(is_buyer=True).count() == round(300 * 1204 / 1293)
