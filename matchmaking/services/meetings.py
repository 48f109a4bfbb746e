"""B2B meetings: propose on the slot grid, accept, decline, counter-propose, cancel, expire.

Double booking is impossible because the database refuses it: every live (proposed or
confirmed) meeting holds one MeetingSlotBooking row per participant company and room,
written by the database itself, and no two rows of one company or one room may overlap in
time (see the model). Two requests racing for overlapping times both try to insert; the
database lets one commit and the other gets an IntegrityError, turned here into a clear
message. A meeting that stops being live gives its time up in the same write."""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.text import normalize_typed_text
from exhibitions.models import MeetingRoom
from matchmaking.models import Interest, Meeting, MeetingSlotBooking
from matchmaking.policies import (
    ensure_actor_may_act,
    ensure_meeting_cancellable,
    interest_party,
    may_answer,
    meeting_party,
)
from matchmaking.selectors import slot_minutes, slot_times
from needs.models import Need, NeedStatus
from needs.services import need_allowed_statuses, need_change_status

MAX_SLOTS = 4


def _notify(meeting_id: int, event: str) -> None:
    from matchmaking.tasks import notify_meeting

    transaction.on_commit(lambda: notify_meeting.enqueue(meeting_id, event))


def slot_starts(starts_at: datetime.datetime, ends_at: datetime.datetime) -> list[datetime.datetime]:
    step = datetime.timedelta(minutes=slot_minutes())
    out, current = [], starts_at
    while current < ends_at:
        out.append(current)
        current += step
    return out


def _check_time(need: Need, starts_at: datetime.datetime, slots: int) -> datetime.datetime:
    """The end of a meeting of `slots` slots from `starts_at`, or a ValidationError saying
    why the time is not on the grid."""
    if timezone.is_naive(starts_at):
        raise ValidationError(_("The meeting time needs a time zone."))
    if not 1 <= slots <= MAX_SLOTS:
        raise ValidationError({"slots": _("A meeting takes one to %(n)s slots.") % {"n": MAX_SLOTS}})
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("Choose a time in the future.")})
    local = timezone.localtime(starts_at)
    if local.weekday() == 4:
        raise ValidationError({"starts_at": _("Exhibitions are closed on Fridays; choose another day.")})
    grid = slot_times(need)
    ends_at = starts_at + datetime.timedelta(minutes=slot_minutes() * slots)
    for start in slot_starts(starts_at, ends_at):
        if timezone.localtime(start).time().replace(tzinfo=None) not in grid:
            raise ValidationError(
                {"starts_at": _("Meetings start on the %(n)s-minute grid inside the exhibition's opening hours.")
                 % {"n": slot_minutes()}}
            )
    return ends_at


def _release(meeting: Meeting, status: str, note: str = "") -> None:
    """Stop a meeting being live; the database deletes its bookings with the status change.
    The caller holds the meeting's row lock, so its calendar revision rises by exactly one."""
    meeting.status = status
    meeting.response_note = normalize_typed_text(note)[:300]
    meeting.calendar_sequence += 1
    meeting.save(update_fields=["status", "response_note", "calendar_sequence", "updated_at"])


def _holding(*, starts_at, ends_at, company_ids=(), room_ids=()):
    """Bookings of these companies or rooms whose time overlaps [starts_at, ends_at)."""
    return MeetingSlotBooking.objects.filter(starts_at__lt=ends_at, ends_at__gt=starts_at).filter(
        Q(company_id__in=company_ids) | Q(room_id__in=room_ids)
    )


def _expire_stale(*, starts_at, ends_at, company_ids, room_ids, now) -> None:
    """Expiry checked lazily: proposals past their deadline that hold any of this time
    give it up before a new proposal tries to take it."""
    holders = _holding(starts_at=starts_at, ends_at=ends_at, company_ids=company_ids, room_ids=room_ids)
    stale = Meeting.objects.select_for_update().filter(
        pk__in=holders.values("meeting_id"), status=Meeting.Status.PROPOSED, expires_at__lte=now
    )
    for meeting in stale:
        _release(meeting, Meeting.Status.EXPIRED)
        _notify(meeting.pk, "expired")


def _conflict_message(*, meeting: Meeting) -> str:
    # The failed meeting was rolled back: whatever holds this time is another meeting.
    when = {"starts_at": meeting.starts_at, "ends_at": meeting.ends_at}
    if meeting.room_id and _holding(**when, room_ids=[meeting.room_id]).exists():
        return _("The room %(room)s is already booked at this time. Choose another slot or room.") % {
            "room": meeting.room.name}
    if _holding(**when, company_ids=[meeting.supplier_id]).exists():
        return _("The supplier %(company)s already has a meeting at this time. Choose another slot.") % {
            "company": meeting.supplier.name}
    return _("The buyer already has a meeting at this time. Choose another slot.")


def _side_of(actor) -> str:
    return Meeting.Side.STAFF if actor.is_staff else actor.side


@transaction.atomic
def meeting_propose(
    *, interest: Interest, by, mode: str, starts_at: datetime.datetime, slots: int = 1,
    room: MeetingRoom | None = None, replaces: Meeting | None = None,
) -> Meeting:
    """Propose a meeting on a shortlisted declaration, in person in a room of an open
    exhibition of the need's province or by video, for `slots` consecutive grid slots.

    The meeting and its bookings are stored together or not at all; if the buyer, the
    supplier or the room is already in a live meeting that overlaps this time, nothing is
    stored and the ValidationError says which."""
    interest = Interest.objects.select_related("need__exhibition", "need__buyer", "supplier").get(pk=interest.pk)
    need = interest.need
    actor = interest_party(by, interest)
    ensure_actor_may_act(actor)
    if interest.status != Interest.Status.SHORTLISTED:
        raise ValidationError(_("Meetings are proposed on shortlisted declarations only."))
    ends_at = _check_time(need, starts_at, slots)
    if mode == Meeting.Mode.IN_PERSON:
        if room is None:
            raise ValidationError({"room": _("Choose a meeting room for an in-person meeting.")})
        room = MeetingRoom.objects.select_related("exhibition").get(pk=room.pk)
        if room.exhibition.province_id != need.province_id or not room.exhibition.is_open:
            raise ValidationError({"room": _("Choose a room of an open exhibition in the need's province.")})
        video_url = ""
    elif mode == Meeting.Mode.VIDEO:
        room = None
        video_url = settings.VIDEO_MEETING_URL_TEMPLATE.format(room=f"isipo-{secrets.token_hex(10)}")
    else:
        raise ValidationError({"mode": _("Choose in person or video.")})

    now = timezone.now()
    company_ids = [need.buyer_id, interest.supplier_id]
    _expire_stale(
        starts_at=starts_at, ends_at=ends_at, company_ids=company_ids, room_ids=[room.pk] if room else [], now=now
    )
    meeting = Meeting(
        interest=interest, buyer_id=need.buyer_id, supplier_id=interest.supplier_id, mode=mode, room=room,
        video_url=video_url, starts_at=starts_at, ends_at=ends_at, status=Meeting.Status.PROPOSED,
        proposed_by=by, proposer_side=_side_of(actor), replaces=replaces,
        expires_at=min(now + datetime.timedelta(hours=settings.MEETING_PROPOSAL_TTL_HOURS), starts_at),
    )
    meeting.buyer, meeting.supplier = need.buyer, interest.supplier
    try:
        with transaction.atomic():
            meeting.save()  # the database books the companies and the room, or refuses
    except IntegrityError:
        meeting.pk = None
        raise ValidationError(_conflict_message(meeting=meeting)) from None
    _notify(meeting.pk, "proposed")
    return meeting


def _advance_need(need_id: int, target: str) -> None:
    """Move a need forward to `target` ("in talks", then "contracted") through
    needs.services, whose lifecycle decides each step; a step it does not allow from the
    need's status (a withdrawn need, say) is skipped, not forced."""
    need = Need.objects.select_for_update().get(pk=need_id)
    path = [NeedStatus.IN_TALKS, NeedStatus.CONTRACTED]
    for step in path[: path.index(target) + 1]:
        if need.status != step and step in need_allowed_statuses(need.status):
            need = need_change_status(need=need, status=step)


def _locked_open_proposal(meeting: Meeting, by) -> tuple[Meeting, object]:
    meeting = Meeting.objects.select_for_update().select_related("interest__need").get(pk=meeting.pk)
    actor = meeting_party(by, meeting)
    if meeting.status != Meeting.Status.PROPOSED:
        raise ValidationError(_("This proposal has already been answered or has lapsed."))
    if not may_answer(actor, meeting):
        raise PermissionDenied(_("The other side answers this proposal."))
    ensure_actor_may_act(actor)
    return meeting, actor


def meeting_respond(*, meeting: Meeting, by, accept: bool, note: str = "") -> Meeting:
    """The other side accepts or declines a proposal.

    Accepting confirms the meeting and moves the need to "in talks" with its first
    confirmed meeting; declining frees the slots. A proposal past its deadline is expired
    instead (its slots freed) and the answer refused."""
    with transaction.atomic():
        meeting, actor = _locked_open_proposal(meeting, by)
        expired = meeting.expires_at is not None and meeting.expires_at <= timezone.now()
        if expired:
            _release(meeting, Meeting.Status.EXPIRED)
            _notify(meeting.pk, "expired")
        elif accept:
            meeting.status = Meeting.Status.CONFIRMED
            meeting.expires_at = None
            meeting.response_note = normalize_typed_text(note)[:300]
            meeting.calendar_sequence += 1
            meeting.save(update_fields=["status", "expires_at", "response_note", "calendar_sequence", "updated_at"])
            _advance_need(meeting.interest.need_id, NeedStatus.IN_TALKS)
            _notify(meeting.pk, "confirmed")
            _schedule_reminder(meeting)
        else:
            _release(meeting, Meeting.Status.DECLINED, note.strip())
            _notify(meeting.pk, "declined")
    if expired:
        raise ValidationError(_("This proposal expired before it was answered; propose a new time."))
    return meeting


@transaction.atomic
def meeting_counter(
    *, meeting: Meeting, by, starts_at: datetime.datetime, mode: str, slots: int = 1,
    room: MeetingRoom | None = None, note: str = "",
) -> Meeting:
    """Answer a proposal with another slot: the proposal is declined and the new one made
    in the same transaction, so if the new slot is taken the old proposal stands."""
    old, actor = _locked_open_proposal(meeting, by)
    if old.expires_at is not None and old.expires_at <= timezone.now():
        raise ValidationError(_("This proposal expired before it was answered; propose a new time."))
    _release(old, Meeting.Status.DECLINED, note.strip() or _("Another time was proposed."))
    return meeting_propose(
        interest=old.interest, by=by, mode=mode, starts_at=starts_at, slots=slots, room=room, replaces=old
    )


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by, reason: str = "") -> Meeting:
    """Either side or staff cancels a proposed or confirmed meeting; its slots are freed."""
    meeting = Meeting.objects.select_for_update().select_related("interest__need").get(pk=meeting.pk)
    meeting_party(by, meeting)
    ensure_meeting_cancellable(meeting, timezone.now())
    _release(meeting, Meeting.Status.CANCELLED, reason.strip())
    _notify(meeting.pk, "cancelled")
    return meeting


def meeting_expire_proposals(*, now: datetime.datetime | None = None) -> int:
    """Expire every proposal past its deadline and free its slots; returns how many."""
    now = now or timezone.now()
    count = 0
    with transaction.atomic():
        stale = Meeting.objects.select_for_update(skip_locked=True).filter(
            status=Meeting.Status.PROPOSED, expires_at__lte=now
        )
        for meeting in stale:
            _release(meeting, Meeting.Status.EXPIRED)
            _notify(meeting.pk, "expired")
            count += 1
    return count


def _schedule_reminder(meeting: Meeting) -> None:
    """A reminder a day before: deferred on a backend that can run tasks later (the
    database backend); `send_meeting_reminders` sends any that are due either way."""
    from matchmaking.tasks import send_meeting_reminder

    run_after = meeting.starts_at - datetime.timedelta(days=1)
    if run_after <= timezone.now() or not send_meeting_reminder.get_backend().supports_defer:
        return
    pk = meeting.pk
    transaction.on_commit(lambda: send_meeting_reminder.using(run_after=run_after).enqueue(pk))
