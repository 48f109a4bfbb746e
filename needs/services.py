"""Writes on needs. The lifecycle rule (docs/design.md section 3, NEED_TRANSITIONS) lives here;
admin actions, admin forms, imports and matchmaking call it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from companies.selectors import approved_company_ids
from needs.models import NEED_TRANSITIONS, BuyerReveal, Need, NeedPhoto, NeedStatus


def need_check_transition(*, current: str, target: str) -> None:
    """Raise ValidationError unless a need may move from `current` to `target` (staying put
    is always allowed)."""
    if current == target:
        return
    if target not in NEED_TRANSITIONS.get(current, set()):
        allowed = sorted(str(NeedStatus(s).label) for s in NEED_TRANSITIONS.get(current, set()))
        raise ValidationError(
            _("A need cannot go from “%(current)s” to “%(target)s”. From “%(current)s” it can go to: %(allowed)s.")
            % {
                "current": NeedStatus(current).label,
                "target": NeedStatus(target).label,
                "allowed": " · ".join(allowed) if allowed else _("nowhere (final status)"),
            },
            code="need_transition",
        )


def need_allowed_statuses(current: str) -> list[str]:
    """The current status followed by those the lifecycle allows next, in lifecycle order."""
    nxt = NEED_TRANSITIONS.get(current, set())
    return [current] + [s for s in NeedStatus.values if s in nxt]


@transaction.atomic
def need_change_status(*, need: Need, status: str, by=None) -> Need:
    """Move `need` to `status` along the lifecycle and save it.

    Locks the need's row first, so two staff members (or an admin action and a meeting
    outcome) cannot both move it from the same old status. The transition, the model's
    rules (consent and a shelf place to go on display, an open exhibition of its own
    province) and the database's guards all apply; on any failure nothing is saved and a
    ValidationError says why. Withdrawing a need hands its sample back, so its shelf place
    is freed for another sample."""
    # of=("self",): only the need row is locked (PostgreSQL refuses FOR UPDATE on the
    # nullable side of the outer joins to the shelf and exhibition).
    locked = Need.objects.select_for_update(of=("self",)).select_related("buyer", "exhibition", "shelf").get(pk=need.pk)
    need_check_transition(current=locked.status, target=status)
    locked.status = status
    if status == NeedStatus.WITHDRAWN:
        locked.shelf = None
        locked.shelf_position = None
    locked.full_clean()
    locked.save()
    # Let the caller's object reflect what is stored.
    need.status, need.shelf, need.shelf_position = locked.status, locked.shelf, locked.shelf_position
    need.displayed_at = locked.displayed_at
    return locked


@transaction.atomic
def need_save_edited(*, need: Need, by=None) -> Need:
    """Store an existing need edited as a whole (the admin's change form, a spreadsheet row)
    whose status may have changed: the status moves only as a lifecycle step
    (need_change_status), the other fields are saved as edited.

    A withdrawal is taken first (it frees the shelf place, so the edited place may be blank);
    any other step after the edited fields are saved under the stored status (going on
    display may need the shelf place the same edit gives)."""
    stored = Need.objects.values_list("status", flat=True).get(pk=need.pk)
    target = need.status
    if target == stored:
        need.save()
        return need
    if target == NeedStatus.WITHDRAWN:
        need_change_status(need=need, status=target, by=by)
        need.shelf, need.shelf_position = None, None
        need.save()
        return need
    need.status = stored
    need.save()
    return need_change_status(need=need, status=target, by=by)


@transaction.atomic
def need_photos_settle_primary(*, need: Need) -> NeedPhoto | None:
    """A need with photos always has one primary photo (the one cards and labels show): the
    one staff marked, else the first in order. Call it after any change to a need's photos;
    returns the primary photo, or None when the need has none."""
    photos = NeedPhoto.objects.select_for_update().filter(need=need).order_by("-is_primary", "order", "id")
    first = photos.first()
    if first is not None and not first.is_primary:
        NeedPhoto.objects.filter(pk=first.pk).update(is_primary=True)
        first.is_primary = True
    return first


def need_reveal_buyer(need: Need, *, to_company, by) -> BuyerReveal:
    """The buyer of an anonymous need makes itself known to one supplier company: from now on
    that company's approved members see the buyer's name wherever the need's buyer is shown
    (Need.buyer_label_for). Only the buyer's own approved members may; revealing twice keeps
    the first reveal."""
    if need.buyer_id not in approved_company_ids(by):
        raise PermissionDenied(_("Only the buyer's own members can reveal the buyer."))
    if to_company.pk == need.buyer_id:
        raise ValidationError(_("A company cannot reveal itself to itself."))
    reveal, _created = BuyerReveal.objects.get_or_create(need=need, company=to_company, defaults={"revealed_by": by})
    return reveal
