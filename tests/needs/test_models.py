from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from exhibitions.models import Exhibition
from needs.models import Need, NeedStatus
from tests.factories import (
    CompanyFactory,
    ExhibitionFactory,
    NeedFactory,
    ShelfFactory,
    displayed_need,
    province,
)

pytestmark = pytest.mark.django_db


def _errors(need: Need) -> dict:
    with pytest.raises(ValidationError) as error:
        need.full_clean()
    return error.value.message_dict


def test_a_displayed_need_is_valid():
    displayed_need().full_clean()


def test_negative_fx_is_refused_by_validation_and_database():
    need = NeedFactory.build(buyer=CompanyFactory(), annual_fx_usd=Decimal("-1"))
    need.province = need.buyer.province
    assert "annual_fx_usd" in _errors(need)
    with pytest.raises(IntegrityError):
        need.save()


def test_fx_update_to_negative_is_refused_by_the_database():
    need = NeedFactory()
    with pytest.raises(IntegrityError):
        Need.objects.filter(pk=need.pk).update(annual_fx_usd=Decimal("-5"))


@pytest.mark.parametrize("code", ["123", "12345678901", "87A830"])
def test_bad_hs_code_is_refused(code):
    need = NeedFactory.build(buyer=CompanyFactory(), hs_code=code)
    need.province = need.buyer.province
    assert "hs_code" in _errors(need)


def test_hs_code_in_persian_digits_is_stored_in_ascii():
    need = NeedFactory(hs_code="۸۷۰۸.۳۰")
    need.refresh_from_db()
    assert need.hs_code == "870830"
    assert Need.objects.filter(hs_code="۸۷۰۸۳۰").exists()


def test_two_samples_on_one_shelf_place_are_refused():
    first = displayed_need()
    second = NeedFactory.build(
        buyer=CompanyFactory(), exhibition=first.exhibition, shelf=first.shelf, shelf_position=first.shelf_position,
        display_consent=True, status=NeedStatus.ON_DISPLAY,
    )
    second.province = second.buyer.province
    assert "نمونه نیاز دیگری در این جای قفسه قرار دارد." in str(_errors(second))
    with pytest.raises(IntegrityError):
        second.save()


def test_display_without_consent_is_refused_by_validation_and_database():
    need = displayed_need()
    need.display_consent = False
    assert "display_consent" in _errors(need)
    with pytest.raises(IntegrityError), transaction.atomic():
        need.save()
    need.refresh_from_db()
    assert need.display_consent is True


def test_display_without_shelf_place_is_refused():
    need = NeedFactory(display_consent=True)
    need.status = NeedStatus.ON_DISPLAY
    assert "shelf" in _errors(need)
    with pytest.raises(IntegrityError):
        Need.objects.filter(pk=need.pk).update(status=NeedStatus.ON_DISPLAY)


def test_display_in_another_provinces_exhibition_is_refused_by_validation_and_database():
    tehran_shelf = ShelfFactory(exhibition=ExhibitionFactory(province=province("tehran")))
    need = NeedFactory(buyer=CompanyFactory(province=province("qom")), display_consent=True)
    need.exhibition, need.shelf, need.shelf_position = tehran_shelf.exhibition, tehran_shelf, 1
    need.status = NeedStatus.ON_DISPLAY
    assert "exhibition" in _errors(need)
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        need.save()
    assert "need_exhibition_in_own_province" in str(error.value)


def test_display_in_an_exhibition_that_is_not_open_is_refused():
    shelf = ShelfFactory(exhibition=ExhibitionFactory(status=Exhibition.Status.EQUIPPING, opened_on=None))
    need = NeedFactory(buyer=CompanyFactory(province=shelf.exhibition.province), display_consent=True)
    need.exhibition, need.shelf, need.shelf_position = shelf.exhibition, shelf, 1
    need.status = NeedStatus.ON_DISPLAY
    assert "exhibition" in _errors(need)
    with pytest.raises(IntegrityError), transaction.atomic():
        need.save()


def test_a_shelf_of_another_exhibition_is_refused():
    need = displayed_need()
    other_shelf = ShelfFactory(exhibition=ExhibitionFactory(province=need.province))
    need.shelf = other_shelf
    assert "shelf" in _errors(need)
    with pytest.raises(IntegrityError), transaction.atomic():
        need.save()


def test_a_position_beyond_the_shelf_is_refused():
    need = displayed_need()
    need.shelf_position = need.shelf.positions + 1
    assert "shelf_position" in _errors(need)
    with pytest.raises(IntegrityError), transaction.atomic():
        need.save()


def test_search_text_is_normalised_and_hides_anonymous_buyers():
    need = NeedFactory(title="ورق آلومينيوم", buyer=CompanyFactory(name_fa="شركت كاوه"), is_anonymous=True)
    assert "آلومینیوم" in need.search_text
    assert "کاوه" not in need.search_text
