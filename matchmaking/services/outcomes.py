"""The result of a meeting: no deal, a follow-up, or a signed contract."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaking.models import Meeting, Outcome
from matchmaking.policies import (
    ensure_actor_may_act,
    ensure_outcome_recordable,
    meeting_party,
)
from matchmaking.services.meetings import _advance_need
from needs.models import NeedStatus


@transaction.atomic
def outcome_record(
    *, meeting: Meeting, by, result: str, contract_value_rials: int | None = None,
    annual_quantity: Decimal | None = None, signed_on: datetime.date | None = None, notes: str = "",
) -> Outcome:
    """Either side or staff records what a confirmed meeting led to, once it has started.

    A signed contract needs its value and date; it moves the need to "contracted" (so its
    FX counts as localised) in the same transaction, and it is final: it cannot be
    replaced by another result later."""
    meeting = Meeting.objects.select_for_update().select_related("interest__need").get(pk=meeting.pk)
    ensure_actor_may_act(meeting_party(by, meeting))
    outcome = Outcome.objects.filter(meeting=meeting).first()
    ensure_outcome_recordable(meeting, outcome, timezone.now())
    outcome = outcome or Outcome(meeting=meeting)
    outcome.result = result
    outcome.notes = notes.strip()
    outcome.recorded_by = by
    if result == Outcome.Result.CONTRACT_SIGNED:
        errors = {}
        if not contract_value_rials:
            errors["contract_value_rials"] = _("Enter the contract's value in rials.")
        if signed_on is None:
            errors["signed_on"] = _("Enter the date the contract was signed.")
        elif signed_on > timezone.localdate():
            errors["signed_on"] = _("The signing date cannot be in the future.")
        if errors:
            raise ValidationError(errors)
        outcome.contract_value_rials = contract_value_rials
        outcome.annual_quantity = annual_quantity
        outcome.signed_on = signed_on
    else:
        outcome.contract_value_rials = None
        outcome.annual_quantity = None
        outcome.signed_on = None
    outcome.full_clean()
    outcome.save()
    if result == Outcome.Result.CONTRACT_SIGNED:
        _advance_need(meeting.interest.need_id, NeedStatus.CONTRACTED)
    return outcome
