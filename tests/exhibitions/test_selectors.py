"""Who serves where (exhibitions/selectors.py): the one definition of national staff and a
staff user's provinces, which the admin, the site's policies and the queues all ask."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from companies.models import Company
from exhibitions.models import StaffProvince
from exhibitions.selectors import (
    is_national_staff,
    scope_to_staff,
    staff_province_ids,
    staff_serves,
)
from tests.factories import CompanyFactory, UserFactory, province

pytestmark = pytest.mark.django_db


def in_national_group(user):
    user.groups.add(Group.objects.get_or_create(name="national")[0])
    return user


def test_national_staff_serve_every_province(national_staff):
    assert is_national_staff(national_staff)
    assert staff_serves(national_staff, province("alborz").pk)
    assert staff_serves(national_staff, province("east-azerbaijan").pk)


def test_a_superuser_with_staff_status_is_national():
    assert is_national_staff(UserFactory(username="root", is_staff=True, is_superuser=True))


def test_provincial_staff_serve_only_their_provinces(qom_staff):
    assert not is_national_staff(qom_staff)
    assert staff_province_ids(qom_staff) == frozenset({province("qom").pk})
    assert staff_serves(qom_staff, province("qom").pk)
    assert not staff_serves(qom_staff, province("tehran").pk)
    assert not staff_serves(qom_staff, None)


def test_a_user_without_staff_status_serves_nowhere_even_if_listed():
    user = in_national_group(UserFactory(username="ex-staff"))
    StaffProvince.objects.create(user=user, province=province("qom"))
    assert not is_national_staff(user)
    assert staff_province_ids(user) == frozenset()
    assert not staff_serves(user, province("qom").pk)


def test_an_inactive_staff_user_serves_nowhere():
    national = in_national_group(UserFactory(username="gone-national", is_staff=True, is_active=False))
    provincial = UserFactory(username="gone-qom", is_staff=True, is_active=False)
    StaffProvince.objects.create(user=provincial, province=province("qom"))
    root = UserFactory(username="gone-root", is_staff=True, is_superuser=True, is_active=False)
    for user in (national, provincial, root):
        assert not is_national_staff(user)
        assert not staff_serves(user, province("qom").pk)
    assert staff_province_ids(provincial) == frozenset()


def test_an_anonymous_visitor_serves_nowhere():
    visitor = AnonymousUser()
    assert not is_national_staff(visitor)
    assert staff_province_ids(visitor) == frozenset()
    assert not staff_serves(visitor, province("qom").pk)


def test_scope_to_staff_keeps_the_rows_of_the_staff_members_provinces(national_staff, qom_staff):
    qom = CompanyFactory(province=province("qom"))
    tehran = CompanyFactory(province=province("tehran"))
    nobody = UserFactory(username="nobody")
    assert set(scope_to_staff(Company.objects.all(), national_staff, "province")) == {qom, tehran}
    assert set(scope_to_staff(Company.objects.all(), qom_staff, "province")) == {qom}
    assert set(scope_to_staff(Company.objects.all(), nobody, "province")) == set()
