import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from matchmaking.models import Meeting, Outcome
from matchmaking.services import meeting_propose, meeting_respond, outcome_record
from needs.models import NeedStatus
from tests.factories import (
    CompanyFactory,
    declaration,
    displayed_need,
    parties,
    province,
    sector,
    slot,
)

pytestmark = pytest.mark.django_db


def held_meeting(need=None):
    """A confirmed meeting moved into the past, as if it had taken place."""
    interest = declaration(need=need)
    buyer, supplier = parties(interest)
    meeting = meeting_propose(interest=interest, by=buyer, mode="video", starts_at=slot())
    meeting_respond(meeting=meeting, by=supplier, accept=True)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=2), ends_at=timezone.now() - datetime.timedelta(hours=1)
    )
    meeting.refresh_from_db()
    return meeting, buyer, supplier


def test_a_signed_contract_moves_the_need_to_contracted_and_counts_as_fx_saved(client):
    need = displayed_need(annual_fx_usd=Decimal("320000"))
    meeting, buyer, supplier = held_meeting(need)
    outcome_record(meeting=meeting, by=supplier, result="contract_signed", contract_value_rials=48_000_000_000,
                   annual_quantity=Decimal("900"), signed_on=timezone.localdate())
    need.refresh_from_db()
    assert need.status == NeedStatus.CONTRACTED
    stats = client.get("/api/stats/").json()
    assert stats["fx_saved"]["total_usd"] == 320000
    by_province = {row["slug"]: row for row in stats["by_province"]}
    by_sector = {row["slug"]: row for row in stats["by_sector"]}
    assert by_province["qom"]["fx_saved_usd"] == 320000 and by_province["tehran"]["fx_saved_usd"] == 0
    assert by_sector["auto-parts"]["fx_saved_usd"] == 320000
    assert stats["matchmaking"]["contracts_signed"] == 1


def test_only_needs_under_a_signed_contract_count_as_fx_saved():
    held_meeting(displayed_need(annual_fx_usd=Decimal("5000")))  # in talks, no contract yet
    other = displayed_need(buyer=CompanyFactory(province=province("tehran")), annual_fx_usd=Decimal("7000"),
                           sector=sector("textile"))
    meeting, _, supplier = held_meeting(other)
    outcome_record(meeting=meeting, by=supplier, result="contract_signed", contract_value_rials=1,
                   signed_on=timezone.localdate())
    from matchmaking.selectors import fx_saved

    figures = fx_saved()
    assert figures["total_usd"] == 7000
    assert figures["by_province"] == {province("tehran").pk: 7000}
    assert figures["by_sector"] == {sector("textile").pk: 7000}


def test_a_contract_needs_its_value_and_date():
    meeting, buyer, _ = held_meeting()
    with pytest.raises(ValidationError) as error:
        outcome_record(meeting=meeting, by=buyer, result="contract_signed")
    assert set(error.value.error_dict) == {"contract_value_rials", "signed_on"}
    assert not Outcome.objects.exists()


def test_outcomes_wait_for_the_meeting():
    interest = declaration()
    buyer, supplier = parties(interest)
    meeting = meeting_propose(interest=interest, by=buyer, mode="video", starts_at=slot())
    meeting_respond(meeting=meeting, by=supplier, accept=True)
    with pytest.raises(ValidationError, match="after the meeting"), translation.override("en"):
        outcome_record(meeting=meeting, by=buyer, result="no_deal")


def test_a_follow_up_can_become_a_contract_but_a_contract_is_final():
    meeting, buyer, supplier = held_meeting()
    outcome_record(meeting=meeting, by=buyer, result="follow_up", notes="نمونه دوم")
    outcome_record(meeting=meeting, by=supplier, result="contract_signed", contract_value_rials=10,
                   signed_on=timezone.localdate())
    with pytest.raises(ValidationError):
        outcome_record(meeting=meeting, by=buyer, result="no_deal")
    assert Outcome.objects.get().result == "contract_signed"


def test_the_outcome_form_takes_a_jalali_date_in_persian_digits(client):
    meeting, buyer, _ = held_meeting()
    client.force_login(buyer)
    import jdatetime

    today = jdatetime.date.today()
    typed = f"{today.year}/{today.month:02d}/{today.day:02d}".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    client.post(f"/account/meetings/{meeting.pk}/outcome/", {
        "result": "contract_signed", "contract_value_rials": "۱۲٬۰۰۰٬۰۰۰٬۰۰۰", "signed_on": typed,
    })
    outcome = Outcome.objects.get()
    assert outcome.signed_on == timezone.localdate() and outcome.contract_value_rials == 12_000_000_000


def test_the_need_lifecycle_is_decided_by_the_needs_services_alone(monkeypatch):
    """Confirming a meeting and signing a contract move the need through needs.services,
    so the lifecycle rule there is the one that holds: with "on display -> in talks"
    taken out of it, confirming a meeting leaves the need on display."""
    import needs.services
    from needs.models import NEED_TRANSITIONS

    rules = {status: set(targets) for status, targets in NEED_TRANSITIONS.items()}
    rules[NeedStatus.ON_DISPLAY].discard(NeedStatus.IN_TALKS)
    monkeypatch.setattr(needs.services, "NEED_TRANSITIONS", rules)
    need = displayed_need()

    meeting, _, supplier = held_meeting(need)

    need.refresh_from_db()
    assert meeting.status == "confirmed" and need.status == NeedStatus.ON_DISPLAY


@pytest.mark.parametrize("typed", ["9" * 5000 + "/01/01", "1/1/1", "0001/01/01", "1299/12/29", "1850-01-01", "2999-01-01"])
def test_an_absurd_signing_date_is_a_form_error_and_nothing_is_stored(client, typed):
    meeting, buyer, _ = held_meeting()
    client.force_login(buyer)

    response = client.post(f"/en/account/meetings/{meeting.pk}/outcome/", {
        "result": "contract_signed", "contract_value_rials": "1000", "signed_on": typed,
    }, follow=True)

    assert response.status_code == 200
    assert "Enter a year from 1300" in response.content.decode()
    assert not Outcome.objects.exists()
