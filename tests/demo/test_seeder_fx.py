"""The demo's rate table converts every seeded contract, so the demo's FX saved shows."""

import pytest
from django.core.management import call_command

from matchmaking.models import ExchangeRate, Interest
from matchmaking.selectors import fx_saved

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_monthly_rates_that_cover_its_contracts():
    call_command("seed_demo", "--needs", "300", "--no-photos", stdout=open("/dev/null", "w"))
    rates = ExchangeRate.objects.count()

    figures = fx_saved()

    assert rates >= 12 and all(rate.rials_per_usd > 0 for rate in ExchangeRate.objects.all())
    assert figures["contracts"] > 0 and figures["contracts_without_rate"] == 0
    assert figures["total_usd"] > 0 and figures["contract_value_usd"] > 0 and figures["by_month"]
    assert not Interest.objects.filter(status="shortlisted", shortlisted_at__isnull=True).exists()
    call_command("seed_demo", "--needs", "300", "--no-photos", stdout=open("/dev/null", "w"))
    assert ExchangeRate.objects.count() == rates  # idempotent
