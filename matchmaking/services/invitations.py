"""Invitations to declare: a buyer's approved member, or staff serving the need's province,
invites a suggested supplier to declare readiness for a need; the supplier's people are told
(matchmaking.notifications.invitation_letters, after commit)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from companies.models import Company
from companies.policies import may_supply
from companies.selectors import approved_company_ids
from exhibitions.selectors import staff_serves
from matchmaking.models import Interest, Invitation
from matchmaking.selectors import DECLARABLE_STATUSES
from needs.models import Need


def may_invite(user, need: Need) -> bool:
    """The need's buyer's approved members (not staff accounts), and staff who serve the
    need's province."""
    if user is None or not user.is_authenticated:
        return False
    if staff_serves(user, need.province_id):
        return True
    return not user.is_staff and need.buyer_id in approved_company_ids(user)


def ensure_may_invite(*, need: Need, supplier: Company, by) -> None:
    """Whether `by` may invite `supplier` to declare for `need` now: the refusal says why."""
    if not may_invite(by, need):
        raise ValidationError(
            _("Only the buyer's approved members or staff of the need's province can invite suppliers."),
            code="not_allowed",
        )
    if not need.is_public or need.status not in DECLARABLE_STATUSES:
        raise ValidationError(
            _("This need is not on display, so it does not take readiness declarations."), code="not_declarable"
        )
    if supplier.pk == need.buyer_id:
        raise ValidationError(_("A company cannot be invited to its own need."), code="own_need")
    if not may_supply(supplier):
        raise ValidationError(
            _("%(company)s is not a verified domestic supplier, so it cannot be invited.") % {"company": supplier.name},
            code="not_supplier",
        )
    if Interest.objects.filter(need=need, supplier=supplier).exclude(status=Interest.Status.WITHDRAWN).exists():
        raise ValidationError(
            _("%(company)s has already declared readiness for this need.") % {"company": supplier.name},
            code="declared",
        )
    if Invitation.objects.filter(need=need, supplier=supplier).exists():
        raise ValidationError(_("This supplier has already been invited to declare for this need."), code="duplicate")


@transaction.atomic
def invitation_send(*, need: Need, supplier: Company, by) -> Invitation:
    """Invite `supplier` to declare for `need` (once per need and supplier; the database
    holds that even when two requests race) and tell its people after commit."""
    need = Need.objects.select_for_update().select_related("province", "buyer").get(pk=need.pk)
    supplier = Company.objects.get(pk=supplier.pk)
    ensure_may_invite(need=need, supplier=supplier, by=by)
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(need=need, supplier=supplier, invited_by=by)
    except IntegrityError:
        raise ValidationError(
            _("This supplier has already been invited to declare for this need."), code="duplicate"
        ) from None
    from matchmaking.tasks import notify_invitation

    transaction.on_commit(lambda: notify_invitation.enqueue(invitation.pk))
    return invitation
