"""The seeder's bulk rows store what the models themselves would: derived columns, defaults,
and the rollup the database keeps (COPY on PostgreSQL, executemany on SQLite)."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum
from django.utils import timezone

from companies.models import Company
from demo.bulk import insert_rows
from needs.models import Need, NeedPhoto, NeedRollup
from tests.factories import CompanyFactory, NeedFactory

pytestmark = pytest.mark.django_db


def test_rows_take_the_fields_defaults_and_the_time_for_auto_now_columns():
    need = NeedFactory()
    before = timezone.now()
    written = insert_rows(NeedPhoto, [{"need_id": need.pk, "image": "needs/demo/a.jpg", "caption": "نمونه"}])
    photo = NeedPhoto.objects.get(need=need)
    assert written == 1
    assert (photo.order, photo.is_primary, photo.thumbnail.name) == (0, False, "")
    assert photo.created_at >= before - datetime.timedelta(seconds=1)


def test_dates_and_decimals_read_back_as_written():
    need = NeedFactory(annual_fx_usd=Decimal("1234.50"))
    row = {field.attname: getattr(need, field.attname) for field in Need._meta.concrete_fields if not field.primary_key}
    row.update(title="دومی", search_text="x", shelf_id=None, shelf_position=None, displayed_at=None, exhibition_id=None)
    insert_rows(Need, [row])
    copy = Need.objects.get(title="دومی")
    assert (copy.annual_fx_usd, copy.identified_on) == (Decimal("1234.50"), need.identified_on)


def test_seeded_companies_and_needs_carry_the_search_text_their_save_would_derive():
    call_command("seed_demo", "--needs", "120", "--no-photos", stdout=open("/dev/null", "w"))
    for company in Company.objects.filter(national_id__startswith="15")[:20]:
        assert company.search_text == company.build_search_text()
    needs = Need.objects.select_related("buyer", "sector", "province")
    assert needs.count() == 120
    for need in needs:
        assert need.search_text == need.build_search_text()


def test_the_rollup_equals_the_needs_after_a_bulk_seed():
    CompanyFactory()
    call_command("seed_demo", "--needs", "150", "--no-photos", stdout=open("/dev/null", "w"))
    live = {
        (row["province_id"], row["sector_id"], row["exhibition_id"] or 0, row["status"], row["display_consent"]):
            (row["n"], row["fx"])
        for row in Need.objects.values("province_id", "sector_id", "exhibition_id", "status", "display_consent")
        .annotate(n=Count("id"), fx=Sum("annual_fx_usd"))
    }
    rollup = {
        (r.province_id, r.sector_id, r.exhibition_key, r.status, r.display_consent): (r.needs, r.annual_fx_usd)
        for r in NeedRollup.objects.filter(needs__gt=0)
    }
    assert rollup == live
