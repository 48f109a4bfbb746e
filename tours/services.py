"""Tour scheduling and registration: one function per state change.

Views, the admin, commands and tasks call these functions and nothing else to change a
tour or a registration, so every path keeps the same rules:

- seats are counted only while the tour row is locked (``select_for_update`` inside
  ``transaction.atomic``), taken late and once, so racing registrations queue up on the
  lock instead of both taking the last seat; a trigger (migration 0003) refuses confirmed
  seats beyond the capacity on any other path;
- tours at one exhibition are created, moved and resized while the exhibition row is
  locked, so two organisers cannot both fill the hall's visitor capacity at the same hour;
- who may schedule where is one selector (``selectors_tours.tour_exhibitions``): the site's
  form offers its exhibitions and ``tour_create`` / ``tour_update`` refuse any other;
- mail goes out after commit, through background tasks (``tours.tasks``).
"""

import datetime
import uuid
from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Company, Sector
from companies.policies import ensure_may_supply
from core.text import normalize_typed_text
from exhibitions.models import Exhibition
from tours.models import Tour, TourMessage, TourRegistration
from tours.policies import (
    ORGANISER_GROUP,
    can_manage_tour,
    ensure_may_cancel_registration,
    ensure_may_check_in,
    ensure_may_manage_tour,
    ensure_not_checked_in,
    ensure_registration_open,
    ensure_tour_not_started,
    is_tour_organiser,
)
from tours.selectors import tour_exhibitions


def _n(value) -> str:
    """A number inside a message, in the reader's digits (Persian digits in Persian)."""
    from core.formats import digits

    return digits(value)
MAX_SERIES_WEEKS = 26


def organiser_grant(*, user, by=None) -> None:
    """Give a user the organiser role (staff do this, in the admin or with this function)."""
    group, _created = Group.objects.get_or_create(name=ORGANISER_GROUP)
    user.groups.add(group)


def organiser_revoke(*, user, by=None) -> None:
    user.groups.remove(*Group.objects.filter(name=ORGANISER_GROUP))


# --- creating tours ----------------------------------------------------------------------
def _check_exhibition(exhibition: Exhibition, *, organiser, by) -> None:
    """The exhibition is open and both the person scheduling and the tour's organiser may
    hold tours there (``tour_exhibitions``)."""
    if not exhibition.is_open:
        raise ValidationError(_("Tours can only be scheduled at an open exhibition."))
    if not tour_exhibitions(user=by).filter(pk=exhibition.pk).exists():
        raise ValidationError(_("You can only schedule tours at exhibitions of your provinces."))
    if organiser.pk != by.pk:
        if not is_tour_organiser(organiser):
            raise ValidationError(_("Only tour organisers can schedule tours."))
        if not tour_exhibitions(user=organiser).filter(pk=exhibition.pk).exists():
            raise ValidationError(
                _("%(name)s cannot organise tours at this exhibition: it is outside their provinces.")
                % {"name": organiser.get_full_name() or organiser.get_username()}
            )


def _peak_visitors(exhibition: Exhibition, starts_at, ends_at, extra: int, excluding: int | None = None) -> int:
    """The most visitors in the hall at any moment between starts_at and ends_at, counting
    the seats of every scheduled tour there (but the tour ``excluding``, being changed) plus
    ``extra`` for the tour being planned.

    The load only rises when a tour starts, so checking the start of the new tour and every
    start inside it finds the peak."""
    overlapping = list(
        Tour.objects.filter(
            exhibition=exhibition, status=Tour.Status.SCHEDULED, starts_at__lt=ends_at, ends_at__gt=starts_at
        ).exclude(pk=excluding).values_list("starts_at", "ends_at", "capacity")
    )
    instants = [starts_at] + [s for s, _e, _c in overlapping if s > starts_at]
    return max(extra + sum(c for s, e, c in overlapping if s <= instant < e) for instant in instants)


def _check_occurrence(
    *, exhibition: Exhibition, starts_at, ends_at, capacity: int, registration_deadline, now,
    excluding: int | None = None, new_deadline: bool = True,
):
    """The rules one tour's time and seats must keep. ``excluding``: the tour being changed
    (its own seats are not counted twice); ``new_deadline`` False when a change leaves a
    deadline that may already have passed as it was."""
    errors = []
    if ends_at <= starts_at:
        errors.append(_("A tour must end after it starts."))
    elif hours := tour_hours_error(exhibition=exhibition, starts_at=starts_at, ends_at=ends_at):
        errors.append(hours)
    if starts_at <= now:
        errors.append(_("The tour must start in the future."))
    if registration_deadline > starts_at:
        errors.append(_("Registration must close before the tour starts."))
    elif new_deadline and registration_deadline <= now:
        errors.append(_("The registration deadline has already passed."))
    if hall := tour_hall_error(
        exhibition=exhibition, starts_at=starts_at, ends_at=ends_at, capacity=capacity, excluding=excluding,
        count_others=not errors,
    ):
        errors.append(hall)
    return errors


def tour_hours_error(*, exhibition: Exhibition, starts_at, ends_at) -> str | None:
    """Why a tour ending after it starts does not fit the exhibition's opening hours (it must
    lie within them, on one day), or None. Also asked when the hours change
    (tours/checks.py)."""
    local_start, local_end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if (
        local_start.date() == local_end.date()
        and local_start.time() >= exhibition.opens_at
        and local_end.time() <= exhibition.closes_at
    ):
        return None
    return _("The tour must take place within the exhibition's opening hours, %(opens)s to %(closes)s.") % {
        "opens": _n(exhibition.opens_at.strftime("%H:%M")), "closes": _n(exhibition.closes_at.strftime("%H:%M"))
    }


def tour_hall_error(
    *, exhibition: Exhibition, starts_at, ends_at, capacity: int, excluding: int | None = None,
    count_others: bool = True,
) -> str | None:
    """Why the hall cannot take a tour of ``capacity`` seats then, or None: more seats than
    the hall holds or, with ``count_others``, too few free beside the scheduled tours
    overlapping it (``_peak_visitors``). Also asked when the capacity changes
    (tours/checks.py)."""
    if capacity > exhibition.visitor_capacity:
        return _("The exhibition holds %(hall)s visitors at a time; a tour cannot have more seats.") % {
            "hall": _n(exhibition.visitor_capacity)
        }
    if not count_others:
        return None
    peak = _peak_visitors(exhibition, starts_at, ends_at, capacity, excluding)
    if peak <= exhibition.visitor_capacity:
        return None
    free = exhibition.visitor_capacity - (peak - capacity)
    return _(
        "Other tours are in the exhibition at that time: the hall holds %(hall)s visitors "
        "and only %(free)s seats are free then."
    ) % {"hall": _n(exhibition.visitor_capacity), "free": _n(max(free, 0))}


def _occurrences(starts_at, ends_at, registration_deadline, weeks: int):
    """(start, end, deadline) of each week of a series, at the same Tehran wall-clock time."""
    for week in range(weeks):
        shift = datetime.timedelta(weeks=week)
        yield (
            _same_local_time(starts_at, shift), _same_local_time(ends_at, shift),
            _same_local_time(registration_deadline, shift),
        )


@transaction.atomic
def tour_create_check(
    *, exhibition: Exhibition, organiser, starts_at, ends_at, capacity: int, registration_deadline,
    weeks: int = 1, by=None,
) -> Exhibition:
    """Raise ValidationError, changing nothing, if ``tour_create`` would refuse these tours;
    return the exhibition, locked. A form that checks first and saves later in the same
    transaction (the admin's) keeps the lock in between, so no one can take the hall's
    places meanwhile."""
    by = by or organiser
    if not is_tour_organiser(by):
        raise ValidationError(_("Only tour organisers can schedule tours."))
    if not 1 <= weeks <= MAX_SERIES_WEEKS:
        raise ValidationError(_("A series runs for 1 to %(max)s weeks.") % {"max": _n(MAX_SERIES_WEEKS)})
    if capacity < 1:
        raise ValidationError(_("A tour needs at least one seat."))
    exhibition = Exhibition.objects.select_for_update().get(pk=exhibition.pk)
    _check_exhibition(exhibition, organiser=organiser, by=by)
    now = timezone.now()
    for occ_start, occ_end, occ_deadline in _occurrences(starts_at, ends_at, registration_deadline, weeks):
        errors = _check_occurrence(
            exhibition=exhibition, starts_at=occ_start, ends_at=occ_end, capacity=capacity,
            registration_deadline=occ_deadline, now=now,
        )
        if errors:
            if weeks > 1:
                from core.formats import date as date_label

                errors = [_("%(date)s: %(error)s") % {"date": date_label(occ_start), "error": e} for e in errors]
            raise ValidationError(errors)
    return exhibition


@transaction.atomic
def tour_create(
    *,
    exhibition: Exhibition,
    organiser,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    capacity: int,
    meeting_point: str,
    registration_deadline: datetime.datetime,
    language: str = Tour.Language.PERSIAN,
    sectors: Iterable[Sector] = (),
    organiser_name: str = "",
    weeks: int = 1,
    by=None,
) -> list[Tour]:
    """Schedule a tour, or a weekly series of ``weeks`` tours, at an open exhibition.

    ``by`` (the organiser when not given) schedules it for ``organiser``; both must be
    allowed at the exhibition (``tour_exhibitions``: staff only at their provinces'). Every
    occurrence must fall within the exhibition's opening hours and keep the visitors of
    overlapping tours within the hall's capacity. All occurrences are created or none: the
    first rule broken raises ValidationError naming the date. The exhibition row stays
    locked until commit, so two organisers cannot both take the hall's last places."""
    exhibition = tour_create_check(
        exhibition=exhibition, organiser=organiser, starts_at=starts_at, ends_at=ends_at, capacity=capacity,
        registration_deadline=registration_deadline, weeks=weeks, by=by,
    )
    series = uuid.uuid4() if weeks > 1 else None
    sectors = list(sectors)
    tours = []
    for occ_start, occ_end, occ_deadline in _occurrences(starts_at, ends_at, registration_deadline, weeks):
        tour = Tour(
            exhibition=exhibition, organiser=organiser, organiser_name=organiser_name.strip(), title=title.strip(),
            starts_at=occ_start, ends_at=occ_end, capacity=capacity, meeting_point=meeting_point.strip(),
            registration_deadline=occ_deadline, language=language, series=series,
        )
        tour.full_clean(exclude=["sectors"])
        tour.save()
        if sectors:
            tour.sectors.set(sectors)
        tours.append(tour)
    return tours


# --- changing tours ----------------------------------------------------------------------
# What tour_update changes. The schedule (where, when, how many seats) follows the rules of
# tour_create; status, series and cancellation change only through their own services.
SCHEDULE_FIELDS = ("exhibition", "starts_at", "ends_at", "capacity", "registration_deadline")
DETAIL_FIELDS = ("organiser", "organiser_name", "title", "meeting_point", "language", "sectors")
# What a registration's calendar file shows of the tour: a change to any of them is sent to
# the companies registered, as a new revision of their calendar entry.
CALENDAR_FIELDS = ("exhibition", "starts_at", "ends_at", "title", "meeting_point")


def _lock_for_update(tour: Tour, exhibition: Exhibition | None) -> tuple[Tour, Exhibition]:
    """Lock the exhibitions the tour leaves and joins (in id order), then the tour row: the
    order tour_create and tour_register take them in, so no two paths wait on each other."""
    current = Tour.objects.only("exhibition").get(pk=tour.pk)
    target = exhibition.pk if exhibition is not None else current.exhibition_id
    ids = sorted({current.exhibition_id, target})
    locked = {e.pk: e for e in Exhibition.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    tour = Tour.objects.select_for_update(of=("self",)).select_related("exhibition", "organiser").get(pk=tour.pk)
    return tour, locked[target]


def _changed(tour: Tour, changes: dict) -> set[str]:
    """The fields whose new value differs from the tour's (sectors always count as given)."""
    def key(value):
        return value.pk if isinstance(value, models.Model) else value

    return {f for f, v in changes.items() if f == "sectors" or key(v) != key(getattr(tour, f))}


@transaction.atomic
def tour_update_check(*, tour: Tour, by, **changes) -> Tour:
    """Raise ValidationError, changing nothing, if ``tour_update`` would refuse ``changes``;
    return the tour, locked (with its exhibitions) until the caller's transaction ends."""
    unknown = set(changes) - set(SCHEDULE_FIELDS) - set(DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"tour_update cannot change {', '.join(sorted(unknown))}")
    tour, exhibition = _lock_for_update(tour, changes.get("exhibition"))
    if not can_manage_tour(by, tour):
        raise ValidationError(
            _("You can only change tours at exhibitions of your provinces.") if by.is_staff
            else _("You can only change the tours you organise.")
        )
    changed = _changed(tour, changes)
    if changed & {"exhibition", "organiser"}:
        _check_exhibition(exhibition, organiser=changes.get("organiser", tour.organiser), by=by)
    if changed & set(SCHEDULE_FIELDS):
        _check_reschedule(tour, exhibition, {f: changes.get(f, getattr(tour, f)) for f in SCHEDULE_FIELDS[1:]},
                          new_deadline="registration_deadline" in changed)
    return tour


def _check_reschedule(tour: Tour, exhibition: Exhibition, new: dict, *, new_deadline: bool) -> None:
    now = timezone.now()
    if tour.status != Tour.Status.SCHEDULED:
        raise ValidationError(_("Only a scheduled tour can be rescheduled or resized."))
    if tour.starts_at <= now:
        raise ValidationError(_("This tour has already started."))
    confirmed = _confirmed_seats(tour)
    if new["capacity"] < confirmed:
        raise ValidationError(
            _("%(n)s seats are already confirmed; cancel registrations before offering fewer seats.")
            % {"n": _n(confirmed)}
        )
    errors = _check_occurrence(exhibition=exhibition, now=now, excluding=tour.pk, new_deadline=new_deadline, **new)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def tour_update(*, tour: Tour, by, **changes) -> Tour:
    """Change a tour: any of SCHEDULE_FIELDS and DETAIL_FIELDS, by someone who manages it.

    Where, when and how many seats change only while the tour is scheduled and has not
    started, under the rules of tour_create (opening hours, the hall's capacity counting
    every other tour, a deadline before the start and not already past); seats never drop
    below those confirmed, and added seats go to the waiting list in the order people
    joined it (each promoted company is told). Titles and the like can be corrected any
    time. A change that shows in the registrations' calendar files (CALENDAR_FIELDS) raises
    the tour's calendar revision, and the companies registered for a tour ahead are told.
    Either every change is saved or none; the exhibitions and the tour stay locked until
    commit."""
    tour = tour_update_check(tour=tour, by=by, **changes)
    sectors = changes.pop("sectors", None)
    changes = {field: value.strip() if isinstance(value, str) else value for field, value in changes.items()}
    shown = _changed(tour, changes) & set(CALENDAR_FIELDS)
    for field, value in changes.items():
        setattr(tour, field, value)
    if shown:
        tour.calendar_sequence += 1
    tour.full_clean(exclude=["sectors"])
    tour.save()
    if sectors is not None:
        tour.sectors.set(sectors)
    promoted = _promote_waitlisted(tour) if "capacity" in changes else []
    _notify([r.pk for r in promoted], "promoted")
    if shown and tour.status == Tour.Status.SCHEDULED and tour.starts_at > timezone.now():
        told = tour.registrations.exclude(status=TourRegistration.Status.CANCELLED).exclude(
            pk__in=[r.pk for r in promoted]  # their letter already carries the changed tour
        )
        _notify(list(told.values_list("pk", flat=True)), "tour_updated")
    return tour


def _same_local_time(moment: datetime.datetime, shift: datetime.timedelta) -> datetime.datetime:
    local = timezone.localtime(moment)
    naive = local.replace(tzinfo=None) + shift
    return timezone.make_aware(naive, timezone.get_current_timezone())


# --- registrations ---------------------------------------------------------------------
def _confirmed_seats(tour: Tour, *, excluding: int | None = None) -> int:
    qs = TourRegistration.objects.filter(tour=tour, status=TourRegistration.Status.CONFIRMED)
    if excluding:
        qs = qs.exclude(pk=excluding)
    return qs.aggregate(seats=Sum("attendees"))["seats"] or 0


def _promote_waitlisted(tour: Tour) -> list[TourRegistration]:
    """Confirm waitlisted registrations in the order they registered, each one that fits
    the seats left. The caller holds the tour lock."""
    if tour.status != Tour.Status.SCHEDULED or tour.starts_at <= timezone.now():
        return []
    free = tour.capacity - _confirmed_seats(tour)
    promoted = []
    for registration in TourRegistration.objects.filter(
        tour=tour, status=TourRegistration.Status.WAITLISTED
    ).order_by("created_at", "id"):
        if free <= 0:
            break
        if registration.attendees <= free:
            registration.status = TourRegistration.Status.CONFIRMED
            registration.calendar_sequence += 1
            registration.save(update_fields=["status", "calendar_sequence", "updated_at"])
            free -= registration.attendees
            promoted.append(registration)
    return promoted


def _notify(registration_ids: list[int], event: str) -> None:
    from tours.tasks import notify_tour_registration

    for pk in registration_ids:
        transaction.on_commit(lambda pk=pk: notify_tour_registration.enqueue(pk, event))


def _clean_names(attendee_names: str) -> str:
    # Names are kept as typed (they are printed on the roster), one per line, blank lines dropped.
    return "\n".join(line.strip() for line in (attendee_names or "").splitlines() if line.strip())


def _check_registration_request(tour: Tour, attendees: int, attendee_names: str, now) -> str:
    """The attendee names, cleaned, once the request fits the tour; ValidationError if not."""
    if attendees < 1:
        raise ValidationError(_("Register at least one attendee."))
    ensure_registration_open(tour, now)
    if attendees > tour.capacity:
        raise ValidationError(
            _("This tour has %(seats)s seats in all; a group of %(n)s cannot join it.")
            % {"seats": _n(tour.capacity), "n": _n(attendees)}
        )
    names = _clean_names(attendee_names)
    if names and len(names.splitlines()) > attendees:
        raise ValidationError(_("You listed more names than attendees."))
    return names


@transaction.atomic
def tour_register(
    *, tour: Tour, company: Company, attendees: int, attendee_names: str = "", by=None
) -> TourRegistration:
    """Register a supplier company for a tour, or change its registration.

    A new registration is confirmed while seats remain, waitlisted after; re-registering
    after cancelling joins the end of the queue. A confirmed registration may grow only
    into free seats (otherwise it stays as it was and ValidationError says how many seats
    are left); shrinking it frees seats for the waiting list. Registration closes at the
    deadline. The tour row is locked for the whole count-and-write, so concurrent
    registrations can never overbook the tour."""
    ensure_may_supply(company)
    tour = Tour.objects.select_for_update().get(pk=tour.pk)
    now = timezone.now()
    names = _check_registration_request(tour, attendees, attendee_names, now)
    registration = TourRegistration.objects.filter(tour=tour, company=company).first()
    others = _confirmed_seats(tour, excluding=registration.pk if registration else None)
    fits = others + attendees <= tour.capacity
    event = None
    if registration is None or registration.status == TourRegistration.Status.CANCELLED:
        if registration is None:
            registration = TourRegistration(tour=tour, company=company)
        else:
            registration.created_at = now  # back of the queue
            registration.attended = None
            registration.checked_in_at = None
            registration.reminder_sent_at = None
        registration.status = TourRegistration.Status.CONFIRMED if fits else TourRegistration.Status.WAITLISTED
        event = "confirmed" if fits else "waitlisted"
    elif registration.status == TourRegistration.Status.CONFIRMED and not fits:
        free = max(tour.capacity - others, 0)
        raise ValidationError(
            _(
                "Only %(free)s seats are free for your group, so your registration for %(current)s "
                "attendees stays as it was."
            )
            % {"free": _n(free), "current": _n(registration.attendees)}
        )
    else:
        event = "updated"
    registration.attendees = attendees
    registration.attendee_names = names
    registration.calendar_sequence += 1
    registration.registered_by = by if by is not None and by.is_authenticated else registration.registered_by
    registration.full_clean(exclude=["tour", "company", "registered_by"], validate_unique=False)
    registration.save()
    promoted = _promote_waitlisted(tour)
    if registration in promoted:
        promoted.remove(registration)
        event = "promoted"
    _notify([registration.pk], event)
    _notify([r.pk for r in promoted], "promoted")
    return registration


@transaction.atomic
def registration_cancel(*, registration: TourRegistration, by=None) -> list[TourRegistration]:
    """Cancel a registration; the first waitlisted registrations that fit the freed seats
    are confirmed and notified. Returns those promoted. Locks the tour row."""
    tour = Tour.objects.select_for_update().get(pk=registration.tour_id)
    registration = TourRegistration.objects.select_related("tour__exhibition").get(pk=registration.pk)
    if by is not None:
        ensure_may_cancel_registration(by, registration)
    if registration.status == TourRegistration.Status.CANCELLED:
        raise ValidationError(_("This registration is already cancelled."))
    ensure_tour_not_started(tour, timezone.now())
    registration.status = TourRegistration.Status.CANCELLED
    registration.calendar_sequence += 1
    registration.save(update_fields=["status", "calendar_sequence", "updated_at"])
    promoted = _promote_waitlisted(tour)
    _notify([registration.pk], "cancelled")
    _notify([r.pk for r in promoted], "promoted")
    return promoted


@transaction.atomic
def tour_cancel(*, tour: Tour, by=None, reason: str = "") -> Tour:
    """Cancel a scheduled tour that has not started; every company registered (confirmed or
    waitlisted) is notified."""
    tour = Tour.objects.select_for_update().select_related("exhibition").get(pk=tour.pk)
    if by is not None:
        ensure_may_manage_tour(by, tour)
    ensure_tour_not_started(tour, timezone.now())
    tour.status = Tour.Status.CANCELLED
    tour.cancelled_at = timezone.now()
    tour.cancel_reason = (reason or "").strip()[:300]
    tour.calendar_sequence += 1
    tour.save(update_fields=["status", "cancelled_at", "cancel_reason", "calendar_sequence"])
    affected = tour.registrations.exclude(status=TourRegistration.Status.CANCELLED).values_list("pk", flat=True)
    _notify(list(affected), "tour_cancelled")
    return tour


@transaction.atomic
def attendance_mark(*, registration: TourRegistration, attended: int, by=None) -> TourRegistration:
    """Record at the door how many of a confirmed registration's people came (0 = no-show).

    Allowed from the day of the tour; the first check-in after the start marks the tour as
    held."""
    tour = Tour.objects.select_for_update().select_related("exhibition").get(pk=registration.tour_id)
    if by is not None:
        ensure_may_manage_tour(by, tour)
    registration = TourRegistration.objects.get(pk=registration.pk)
    registration.tour = tour
    now = timezone.now()
    ensure_may_check_in(registration, now)
    if not 0 <= attended <= registration.attendees:
        raise ValidationError(
            _("Between 0 and %(n)s people of this registration can attend.") % {"n": _n(registration.attendees)}
        )
    registration.attended = attended
    registration.checked_in_at = now
    registration.save(update_fields=["attended", "checked_in_at", "updated_at"])
    if tour.status == Tour.Status.SCHEDULED and now >= tour.starts_at:
        tour.status = Tour.Status.HELD
        tour.save(update_fields=["status"])
    return registration


@transaction.atomic
def registration_check_in(*, registration: TourRegistration, attended: int | None = None, by=None) -> TourRegistration:
    """Check a registration in once, at the door, by the code on its confirmation: as
    ``attendance_mark`` (``attended`` defaults to its seats), but a registration already
    checked in is refused, saying when, so a second scan changes nothing. The tour row is
    locked before the registration is read, so two scans at once check it in once."""
    tour = Tour.objects.select_for_update().get(pk=registration.tour_id)
    if by is not None:
        ensure_may_manage_tour(by, tour)
    registration = TourRegistration.objects.get(pk=registration.pk)
    ensure_not_checked_in(registration)
    return attendance_mark(
        registration=registration, attended=registration.attendees if attended is None else attended, by=by
    )


@transaction.atomic
def tour_mark_held(*, tour: Tour, by=None) -> Tour:
    """Close a tour that has taken place (its attendance is what the statistics count)."""
    tour = Tour.objects.select_for_update().select_related("exhibition").get(pk=tour.pk)
    if by is not None:
        ensure_may_manage_tour(by, tour)
    if tour.status != Tour.Status.SCHEDULED:
        raise ValidationError(_("Only a scheduled tour can be marked as held."))
    if tour.starts_at > timezone.now():
        raise ValidationError(_("This tour has not started yet."))
    tour.status = Tour.Status.HELD
    tour.save(update_fields=["status"])
    return tour


# --- reminders -----------------------------------------------------------------------------
def tour_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Queue a reminder for every confirmed registration of a scheduled tour starting in the
    next 24 hours that has not had one. Safe to run often and from several workers: each
    registration is claimed by a conditional UPDATE, so it is reminded once."""
    now = now or timezone.now()
    due = TourRegistration.objects.filter(
        status=TourRegistration.Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        tour__status=Tour.Status.SCHEDULED,
        tour__starts_at__gt=now,
        tour__starts_at__lte=now + datetime.timedelta(hours=24),
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            claimed = TourRegistration.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now)
            if claimed:
                _notify([pk], "reminder")
                sent += 1
    return sent


# --- messages to the registered companies -----------------------------------------------
@transaction.atomic
def tour_message_send(
    *, tour: Tour, by, audience: str, subject: str, body: str, token
) -> tuple[TourMessage, bool]:
    """Record a message from whoever manages the tour to its registered companies (the
    audience: confirmed, waitlisted or both) and, after commit, mail it: one letter per
    mailbox of each company (``tours.tasks.send_tour_message``). ``token`` comes with the
    form: a second submission of the same form (a double click, a reload) finds the message
    already recorded and sends nothing; the unique token settles two at once. Returns the
    message and whether this call recorded it."""
    ensure_may_manage_tour(by, tour)
    existing = TourMessage.objects.filter(token=token).first()
    if existing is not None:
        if existing.tour_id != tour.pk:
            raise ValidationError(_("This form was already used for another tour; open the desk again."))
        return existing, False
    if audience not in TourMessage.Audience.values:
        raise ValidationError(_("Choose who receives the message."))
    subject, body = normalize_typed_text(subject).strip(), normalize_typed_text(body).strip()
    if not subject or not body:
        raise ValidationError(_("A message needs a subject and a text."))
    try:
        with transaction.atomic():
            message = TourMessage.objects.create(
                tour=tour, sent_by=by, audience=audience, subject=subject[:150], body=body, token=token
            )
    except IntegrityError:
        return TourMessage.objects.get(token=token), False

    def enqueue():
        from tours.tasks import send_tour_message

        send_tour_message.enqueue(message.pk)

    transaction.on_commit(enqueue)
    return message, True
