"""The exchange-rate table in the admin: national reference data that national staff keep
and provincial staff may read; a rate must be a positive number of rials per dollar."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from matchmaking.models import ExchangeRate

pytestmark = pytest.mark.django_db

ADD = reverse("admin:matchmaking_exchangerate_add")
CHANGELIST = reverse("admin:matchmaking_exchangerate_changelist")
REFUSAL_EN = "The rate must be a positive number of rials per US dollar."


def test_national_staff_add_a_rate(client, national_staff):
    client.force_login(national_staff)

    response = client.post(ADD, {"effective_on": "2026-03-21", "rials_per_usd": "820000", "source": "CBI"})

    assert response.status_code == 302
    rate = ExchangeRate.objects.get()
    assert (rate.effective_on, rate.rials_per_usd) == (datetime.date(2026, 3, 21), 820_000)


def test_provincial_staff_see_the_rates_but_cannot_add_or_change_one(client, qom_staff):
    rate = ExchangeRate.objects.create(effective_on=datetime.date(2026, 3, 21), rials_per_usd=820_000)
    client.force_login(qom_staff)

    assert client.get(CHANGELIST).status_code == 200
    assert client.post(ADD, {"effective_on": "2026-04-21", "rials_per_usd": "830000"}).status_code == 403
    change = reverse("admin:matchmaking_exchangerate_change", args=[rate.pk])
    client.post(change, {"effective_on": "2026-03-21", "rials_per_usd": "1"})
    rate.refresh_from_db()
    assert rate.rials_per_usd == 820_000 and ExchangeRate.objects.count() == 1


@pytest.mark.parametrize("value", ["0", "-5"])
def test_a_rate_that_is_not_positive_is_refused_with_a_clear_message(client, national_staff, value):
    client.force_login(national_staff)

    response = client.post(ADD, {"effective_on": "2026-03-21", "rials_per_usd": value})

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    with translation.override("fa"):
        message = translation.gettext(REFUSAL_EN)
    assert errors["rials_per_usd"] == [message]
    assert ExchangeRate.objects.count() == 0


def test_a_second_rate_for_the_same_day_is_refused(client, national_staff):
    ExchangeRate.objects.create(effective_on=datetime.date(2026, 3, 21), rials_per_usd=820_000)
    client.force_login(national_staff)

    response = client.post(ADD, {"effective_on": "2026-03-21", "rials_per_usd": "830000"})

    assert response.status_code == 200 and "effective_on" in response.context["adminform"].form.errors
