"""What a company's members are told (companies/notifications.py), each in their own language."""

import pytest

from accounts.services import language_set
from companies.notifications import company_unverified_letters, company_verified_letters
from tests.factories import CompanyFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    company = CompanyFactory(name_fa="صنایع پارس", name_en="Pars Industries")
    language_set(user=member(company, "anglo", email="anglo@pars.example"), language="en")
    language_set(user=member(company, "farsi", email="farsi@pars.example"), language="fa")
    member(company, "unset", email="unset@pars.example")
    return company


def test_each_member_hears_of_the_verification_in_their_own_language(company):
    subjects = {letter.to: letter.subject for letter in company_verified_letters(company)}
    assert subjects == {
        "anglo@pars.example": "Pars Industries is verified",
        "farsi@pars.example": "صنایع پارس تأیید شد",
        "unset@pars.example": "صنایع پارس تأیید شد",
    }


def test_each_member_hears_of_a_withdrawn_verification_in_their_own_language(company):
    letters = {letter.to: letter for letter in company_unverified_letters(company, reason="x")}
    assert letters["anglo@pars.example"].subject == "Verification of Pars Industries withdrawn"
    assert "/en/account/" in letters["anglo@pars.example"].body
    assert "Pars Industries" not in letters["farsi@pars.example"].subject


@pytest.mark.parametrize("members", [0, 6])
def test_the_verification_letters_cost_the_same_queries_for_few_members_or_many(
    company, django_assert_max_num_queries, members
):
    for n in range(members):
        language_set(user=member(company, f"extra-{n}", email=f"extra-{n}@pars.example"), language="en")
    with django_assert_max_num_queries(3):
        letters = company_verified_letters(company)
    assert len(letters) == members + 3
