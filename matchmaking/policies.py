"""Who may act on a readiness declaration or a meeting, and as which side. Services ask
these before they write; views ask them to decide what to offer."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from companies.models import Company, CompanyMember
from companies.policies import ensure_company_may_act
from exhibitions.selectors import staff_serves
from matchmaking.models import Interest, Meeting


@dataclass(frozen=True)
class Actor:
    """Who is acting on a declaration or meeting: a side ("buyer", "supplier") or "staff",
    and the company the user acts for (None for staff)."""

    side: str
    company: Company | None
    user: object

    @property
    def is_staff(self) -> bool:
        return self.side == "staff"


def _actor(user, *, buyer_id: int, supplier_id: int, province_id: int) -> Actor | None:
    """Members act for their company (buyer or supplier side); staff who serve the need's
    province act as staff (and mediate for anonymous buyers there); anyone else is None."""
    if not user.is_authenticated:
        return None
    membership = (
        CompanyMember.objects.filter(user=user, is_approved=True, company_id__in=[buyer_id, supplier_id])
        .select_related("company")
        .first()
    )
    if membership is not None:
        side = "supplier" if membership.company_id == supplier_id else "buyer"
        return Actor(side=side, company=membership.company, user=user)
    if staff_serves(user, province_id):
        return Actor(side="staff", company=None, user=user)
    return None


def interest_actor(user, interest: Interest) -> Actor | None:
    """The user's part in a declaration, or None when it is none of their business."""
    return _actor(user, buyer_id=interest.need.buyer_id, supplier_id=interest.supplier_id,
                  province_id=interest.need.province_id)


def meeting_actor(user, meeting: Meeting) -> Actor | None:
    """The user's part in a meeting, or None when it is none of their business."""
    return _actor(user, buyer_id=meeting.buyer_id, supplier_id=meeting.supplier_id,
                  province_id=meeting.interest.need.province_id)


def interest_party(user, interest: Interest) -> Actor:
    """The user's part in a declaration; PermissionDenied for anyone who has none."""
    actor = interest_actor(user, interest)
    if actor is None:
        raise PermissionDenied(_("You are not a party to this declaration."))
    return actor


def meeting_party(user, meeting: Meeting) -> Actor:
    """The user's part in a meeting; PermissionDenied for anyone who has none."""
    actor = meeting_actor(user, meeting)
    if actor is None:
        raise PermissionDenied(_("You are not a party to this meeting."))
    return actor


def ensure_actor_may_act(actor: Actor) -> None:
    """Staff always may; a company's member only once staff have verified the company."""
    if not actor.is_staff:
        ensure_company_may_act(actor.company)


def awaiting_sides(meeting: Meeting) -> set[str]:
    """Who may answer a proposal: the side that did not propose it; either when staff did."""
    return {
        Meeting.Side.BUYER: {"supplier"},
        Meeting.Side.SUPPLIER: {"buyer"},
    }.get(meeting.proposer_side, {"buyer", "supplier"})


def may_answer(actor, meeting: Meeting) -> bool:
    """Whether this actor may accept, decline or counter a proposal."""
    if actor is None:
        return False
    if actor.is_staff:
        # Staff answer for the buyer they mediate for.
        return "buyer" in awaiting_sides(meeting)
    return actor.side in awaiting_sides(meeting)


# --- when a meeting takes these steps (services raise these; the meeting page asks them
# through core.forms.refusal, so it offers a step exactly when the service would take it) ---
def ensure_meeting_cancellable(meeting: Meeting, now) -> None:
    if meeting.status not in Meeting.ACTIVE_STATUSES:
        raise ValidationError(_("Only a proposed or confirmed meeting can be cancelled."))
    if meeting.status == Meeting.Status.CONFIRMED and meeting.starts_at <= now:
        raise ValidationError(_("This meeting has already started; record its outcome instead."))


def ensure_outcome_recordable(meeting: Meeting, outcome, now) -> None:
    """An outcome is recorded for a confirmed meeting that has taken place; a signed
    contract is final. `outcome` is the meeting's stored outcome or None."""
    if meeting.status != Meeting.Status.CONFIRMED:
        raise ValidationError(_("Outcomes are recorded for confirmed meetings only."))
    if meeting.starts_at > now:
        raise ValidationError(_("Record the outcome after the meeting has taken place."))
    if outcome is not None and outcome.result == "contract_signed":
        raise ValidationError(_("A signed contract has been recorded for this meeting; it cannot be changed here."))
