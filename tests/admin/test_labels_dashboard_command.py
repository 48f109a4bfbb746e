"""Shelf labels, the staff dashboard and the add_province_staff command."""

import io

import pytest
import segno
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from exhibitions.models import StaffProvince
from exhibitions.scoping import PROVINCIAL_GROUP
from matchmaking.models import Interest
from needs.shelf_labels import need_public_url
from tests.factories import (
    ExhibitionFactory,
    NeedFactory,
    ShelfFactory,
    SupplierFactory,
    displayed_need,
    province,
)

pytestmark = pytest.mark.django_db


def labels_url(exhibition):
    return reverse("admin:needs_need_shelf_labels", args=[exhibition.pk])


def test_shelf_labels_have_place_title_sector_hs_code_and_a_qr_code_to_the_public_page(client, qom_staff, settings):
    settings.SITE_URL = "https://portal.example.ir"
    shelf = ShelfFactory(exhibition=ExhibitionFactory(province=province("qom")), code="A-03")
    shown = [displayed_need(shelf=shelf, title=f"نیاز {i}", hs_code=f"84082{i}") for i in range(3)]
    hidden = NeedFactory(buyer=shown[0].buyer, title="نیاز شناسایی‌شده")
    client.force_login(qom_staff)

    # Reachable from the exhibition's admin page.
    change_page = client.get(reverse("admin:exhibitions_exhibition_change", args=[shelf.exhibition.pk])).content.decode()
    assert labels_url(shelf.exhibition) in change_page

    page = client.get(labels_url(shelf.exhibition)).content.decode()
    assert page.count('class="shelf-label"') == 3 and hidden.title not in page
    for need in shown:
        url = need_public_url(need)
        assert url == f"https://portal.example.ir/needs/{need.pk}/"
        # The printed QR code is exactly segno's encoding of the public URL.
        assert segno.make(url, error="m").svg_inline(scale=3, omitsize=True, border=2) in page
        assert need.title in page and need.sector.name_fa in page
    assert "A-03" in page and "۸۴۰۸۲۰" in page


def test_tehran_labels_are_404_for_qom_staff(client, qom_staff):
    tehran = ExhibitionFactory(province=province("tehran"), slug="tehran-z")
    client.force_login(qom_staff)
    assert client.get(labels_url(tehran)).status_code == 404


def test_dashboard_counts_only_the_staff_members_province(client, qom_staff, national_staff):
    qom_need = displayed_need(province=province("qom"))
    NeedFactory(buyer=qom_need.buyer, annual_fx_usd=1000)
    NeedFactory(buyer=qom_need.buyer, annual_fx_usd=5000, status="withdrawn")
    tehran_need = displayed_need(province=province("tehran"))
    Interest.objects.create(need=qom_need, supplier=SupplierFactory(), annual_capacity=1, lead_time_days=9)
    Interest.objects.create(need=tehran_need, supplier=SupplierFactory(), annual_capacity=1, lead_time_days=9)

    client.force_login(qom_staff)
    dashboard = client.get(reverse("admin:index")).context["dashboard"]
    assert dashboard["needs_total"] == 3
    assert dashboard["fx_total"] == qom_need.annual_fx_usd + 1000
    assert {row["status"]: row["count"] for row in dashboard["by_status"]}["withdrawn"] == 1
    assert dashboard["declarations_waiting"] == 1
    assert [p.slug for p in dashboard["provinces"]] == ["qom"]

    client.force_login(national_staff)
    assert client.get(reverse("admin:index")).context["dashboard"]["needs_total"] == 4


def test_add_province_staff_creates_then_updates_a_user(client):
    out = io.StringIO()
    call_command("add_province_staff", "zahra", "--province", "qom", "--password", "Gol-Sorkh-8841", stdout=out)
    user = get_user_model().objects.get(username="zahra")
    assert user.is_staff and not user.is_superuser and user.check_password("Gol-Sorkh-8841")
    assert user.groups.filter(name=PROVINCIAL_GROUP).exists()
    assert user.has_perm("needs.add_need") and not user.has_perm("auth.change_user")
    assert not user.has_perm("exhibitions.add_staffprovince")

    call_command("add_province_staff", "zahra", "--province", "qom", "--province", "qazvin", stdout=out)
    assert set(StaffProvince.objects.filter(user=user).values_list("province__slug", flat=True)) == {"qom", "qazvin"}
    user.refresh_from_db()
    assert user.check_password("Gol-Sorkh-8841")  # kept when no --password is given

    assert client.login(username="zahra", password="Gol-Sorkh-8841")
    assert client.get(reverse("admin:needs_need_changelist")).status_code == 200


def test_add_province_staff_refuses_an_unknown_province_and_changes_nothing():
    with pytest.raises(CommandError, match="Unknown province 'atlantis'"):
        call_command("add_province_staff", "ali", "--province", "atlantis", stdout=io.StringIO())
    assert not get_user_model().objects.filter(username="ali").exists()
