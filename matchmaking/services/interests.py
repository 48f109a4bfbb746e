"""Readiness declarations (اعلام آمادگی): declare or update, withdraw, shortlist or decline."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Company
from companies.policies import ensure_may_supply
from matchmaking.models import Interest
from matchmaking.policies import ensure_actor_may_act, interest_actor
from matchmaking.selectors import DECLARABLE_STATUSES
from needs.models import Need


def _notify(interest_id: int, event: str) -> None:
    from matchmaking.tasks import notify_interest

    transaction.on_commit(lambda: notify_interest.enqueue(interest_id, event))


def ensure_may_declare(*, need: Need, supplier: Company | None) -> None:
    """Whether `supplier` may declare readiness for `need` now: a verified domestic
    supplier, not the need's own buyer, on a need whose sample is on display. The declare
    page asks this to explain itself; interest_declare asks it again under the row lock."""
    ensure_may_supply(supplier)
    if need.buyer_id == supplier.pk:
        raise ValidationError(_("A company cannot declare readiness for its own need."))
    if not need.is_public or need.status not in DECLARABLE_STATUSES:
        raise ValidationError(_("This need is not on display, so it does not take readiness declarations."))


@transaction.atomic
def interest_declare(
    *, need: Need, supplier: Company, by, annual_capacity: Decimal, lead_time_days: int,
    indicative_price_rials: int | None = None, certifications: str = "", message: str = "",
) -> Interest:
    """Declare readiness for a need, or update the supplier's existing declaration.

    Only a verified supplier may declare, only on a need whose sample is on display, and
    only once per need (the unique constraint holds that even when two requests race; a
    withdrawn declaration comes back to life). A shortlisted or declined declaration keeps
    its status when its figures change."""
    ensure_may_supply(supplier)
    need = Need.objects.select_for_update().get(pk=need.pk)
    ensure_may_declare(need=need, supplier=supplier)
    fields = dict(
        annual_capacity=annual_capacity, lead_time_days=lead_time_days, indicative_price_rials=indicative_price_rials,
        certifications=certifications.strip(), message=message.strip(),
    )
    interest = Interest.objects.filter(need=need, supplier=supplier).first()
    created = interest is None
    if created:
        interest = Interest(need=need, supplier=supplier, **fields)
    else:
        for name, value in fields.items():
            setattr(interest, name, value)
        if interest.status == Interest.Status.WITHDRAWN:
            interest.status = Interest.Status.DECLARED
            interest.decline_reason = ""
            created = True
    interest.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            interest.save()
    except IntegrityError:
        raise ValidationError(_("This supplier has already declared readiness for this need."))
    if created:
        _notify(interest.pk, "declared")
    return interest


@transaction.atomic
def interest_withdraw(*, interest: Interest, by) -> Interest:
    """The supplier takes its declaration back; its active meetings are cancelled with it."""
    interest = Interest.objects.select_for_update().select_related("need").get(pk=interest.pk)
    actor = interest_actor(by, interest)
    if actor is None or actor.side != "supplier":
        raise PermissionDenied(_("Only the supplier can withdraw its declaration."))
    if interest.status == Interest.Status.WITHDRAWN:
        return interest
    from matchmaking.models import Meeting
    from matchmaking.services.meetings import meeting_cancel

    for meeting in interest.meetings.filter(status__in=Meeting.ACTIVE_STATUSES):
        meeting_cancel(meeting=meeting, by=by, reason=_("The supplier withdrew its declaration."))
    interest.status = Interest.Status.WITHDRAWN
    interest.save(update_fields=["status", "updated_at"])
    _notify(interest.pk, "withdrawn")
    return interest


@transaction.atomic
def interest_decide(*, interest: Interest, by, decision: str, reason: str = "") -> Interest:
    """The buyer, or staff of the need's province (who mediate for anonymous buyers),
    shortlists a declaration or declines it with a reason."""
    interest = Interest.objects.select_for_update().select_related("need").get(pk=interest.pk)
    actor = interest_actor(by, interest)
    if actor is None or actor.side == "supplier":
        raise PermissionDenied(_("Only the buyer or the provincial staff can decide on a declaration."))
    ensure_actor_may_act(actor)
    if interest.status == Interest.Status.WITHDRAWN:
        raise ValidationError(_("The supplier has withdrawn this declaration."))
    reason = reason.strip()
    if decision == "shortlist":
        interest.status = Interest.Status.SHORTLISTED
        interest.decline_reason = ""
        # The first time it reached the shortlist (the funnel's step), kept through a decline.
        interest.shortlisted_at = interest.shortlisted_at or timezone.now()
    elif decision == "decline":
        if not reason:
            raise ValidationError({"reason": _("Say why the declaration is declined; the supplier will read it.")})
        interest.status = Interest.Status.DECLINED
        interest.decline_reason = reason[:300]
    else:
        raise ValidationError(_("Unknown decision."))
    interest.save(update_fields=["status", "decline_reason", "shortlisted_at", "updated_at"])
    _notify(interest.pk, interest.status)
    return interest
