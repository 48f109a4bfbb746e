import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import translation

from companies.models import Company
from companies.validators import national_id_check_digit, validate_national_id
from tests.factories import CompanyFactory, province, valid_national_id

pytestmark = pytest.mark.django_db

PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _company(national_id: str) -> Company:
    return Company(name_fa="شرکت آزمون", national_id=national_id, is_buyer=True, province=province("qom"))


def test_check_digit_worked_by_hand():
    # 1410123456: tenth digit 6, so add 8 to each digit; weighted sum 2445; 2445 mod 11 = 3.
    assert national_id_check_digit("1410123456") == 3


def test_remainder_ten_gives_check_digit_zero():
    # Find an ID whose weighted sum leaves 10, which the rule maps to 0.
    from companies.validators import NATIONAL_ID_WEIGHTS

    for n in range(1000):
        first_ten = f"{n:010d}"
        d = int(first_ten[9]) + 2
        if sum((int(c) + d) * w for c, w in zip(first_ten, NATIONAL_ID_WEIGHTS)) % 11 == 10:
            break
    assert national_id_check_digit(first_ten) == 0
    _company(first_ten + "0").save()


def test_valid_national_id_passes_full_clean():
    _company(valid_national_id(1)).full_clean()


@pytest.mark.parametrize("bad", ["1234567890", "123456789012", "1010007171a", ""])
def test_national_id_of_wrong_length_is_refused_with_a_message(bad):
    with pytest.raises(ValidationError) as error:
        _company(bad).full_clean()
    assert "national_id" in error.value.message_dict


def test_national_id_with_wrong_check_digit_is_refused():
    good = valid_national_id(2)
    bad = good[:10] + str((int(good[10]) + 1) % 10)
    with translation.override("en"):  # the message, not its Persian translation
        with pytest.raises(ValidationError) as error:
            _company(bad).full_clean()
        assert "check digit" in " ".join(error.value.message_dict["national_id"])


@pytest.mark.parametrize("table", [PERSIAN, ARABIC], ids=["persian", "arabic"])
def test_national_id_typed_in_persian_or_arabic_digits_is_stored_in_ascii(table):
    good = valid_national_id(3)
    company = _company(good.translate(table))
    company.full_clean()
    company.save()
    company.refresh_from_db()
    assert company.national_id == good
    assert Company.objects.filter(national_id=good.translate(table)).exists()


def test_database_refuses_a_bad_check_digit_when_validation_is_skipped():
    good = valid_national_id(4)
    with pytest.raises(IntegrityError):
        _company(good[:10] + str((int(good[10]) + 1) % 10)).save()


def test_database_refuses_a_short_national_id_when_validation_is_skipped():
    with pytest.raises(IntegrityError):
        _company("12345").save()


def test_national_id_is_unique_with_a_clear_message():
    existing = CompanyFactory()
    with translation.override("en"):  # the message, not its Persian translation
        with pytest.raises(ValidationError) as error:
            _company(existing.national_id.translate(PERSIAN)).full_clean()
        assert "already registered" in " ".join(error.value.message_dict["national_id"])


def test_a_company_must_be_buyer_or_supplier():
    company = _company(valid_national_id(5))
    company.is_buyer = False
    with pytest.raises(ValidationError):
        company.full_clean()
    with pytest.raises(IntegrityError):
        company.save()


def test_validator_accepts_dashes_and_spaces_as_typed():
    good = valid_national_id(6)
    validate_national_id(f"{good[:4]}-{good[4:8]} {good[8:]}")


def test_a_town_of_another_province_is_refused_on_every_path_not_only_the_sign_up_form(db):
    """The rule lived only in the site's company form, so the admin saved such a company."""
    from django.core.exceptions import ValidationError

    from exhibitions.models import IndustrialTown, Province
    from tests.factories import CompanyFactory

    company = CompanyFactory.build(province=Province.objects.get(slug="qom"),
                                   town=IndustrialTown.objects.exclude(province__slug="qom").first())
    with pytest.raises(ValidationError) as raised:
        company.full_clean(exclude=["national_id"])
    assert "town" in raised.value.message_dict


def test_a_company_name_typed_on_an_arabic_keyboard_is_stored_with_persian_letters():
    company = CompanyFactory.build(province=province("qom"), town=None, name_fa="صنايع كاشي ")
    company.full_clean(exclude=["sectors", "national_id"])
    assert company.name_fa == "صنایع کاشی"
