"""The add_province_staff command (exhibitions/management/commands/add_province_staff.py)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from companies.models import CompanyMember
from exhibitions.models import StaffProvince
from exhibitions.scoping import PROVINCIAL_GROUP
from tests.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db


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


@pytest.mark.parametrize("approved", [True, False], ids=["approved member", "pending request"])
def test_add_province_staff_refuses_a_user_who_acts_for_a_company_and_changes_nothing(approved):
    user = UserFactory(username="reza")
    CompanyMember.objects.create(company=CompanyFactory(), user=user, role="owner", is_approved=approved)
    with pytest.raises(CommandError, match="acts for a company.*separate account"):
        call_command("add_province_staff", "reza", "--province", "qom", stdout=io.StringIO())
    user.refresh_from_db()
    assert not user.is_staff
    assert not StaffProvince.objects.filter(user=user).exists()
    assert not user.groups.exists()
