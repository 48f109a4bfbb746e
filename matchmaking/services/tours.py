"""Tour scheduling and registration: one function per state change.

Views, the admin, commands and tasks call these functions and nothing else to change a
tour or a registration, so every path keeps the same rules:

- seats are counted only while the tour row is locked (``select_for_update`` inside
  ``transaction.atomic``), taken late and once, so racing registrations queue up on the
  lock instead of both taking the last seat; a trigger (migration 0003) refuses confirmed
  seats beyond the capacity on any other path;
- tours at one exhibition are created while the exhibition row is locked, so two
  organisers cannot both fill the hall's visitor capacity at the same hour;
- mail goes out after commit, through background tasks (``matchmaking.tour_tasks``).
"""

import datetime
import uuid
from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Company, Sector
from exhibitions.models import Exhibition
from exhibitions.scoping import is_national, staff_province_ids
from matchmaking.models import Tour, TourRegistration

ORGANISER_GROUP = "tour organisers"


def _n(value) -> str:
    """A number inside a message, in the reader's digits (Persian digits in Persian)."""
    from portal.templatetags.portal_tags import digits

    return digits(value)
MAX_SERIES_WEEKS = 26


# --- the organiser role -----------------------------------------------------------------
def is_tour_organiser(user) -> bool:
    """Organisers are granted by staff (membership of the "tour organisers" group); staff
    may do everything an organiser does."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff:
        return True
    return user.groups.filter(name=ORGANISER_GROUP).exists()


def can_manage_tour(user, tour: Tour) -> bool:
    """An organiser manages the tours they organise; national staff manage every tour and
    provincial staff the tours at their provinces' exhibitions (the admin's scoping rule)."""
    if not is_tour_organiser(user):
        return False
    if tour.organiser_id == user.pk or is_national(user):
        return True
    return user.is_staff and tour.exhibition.province_id in staff_province_ids(user)


def organiser_grant(*, user, by=None) -> None:
    """Give a user the organiser role (staff do this, in the admin or with this function)."""
    group, _created = Group.objects.get_or_create(name=ORGANISER_GROUP)
    user.groups.add(group)


def organiser_revoke(*, user, by=None) -> None:
    user.groups.remove(*Group.objects.filter(name=ORGANISER_GROUP))


# --- creating tours ----------------------------------------------------------------------
def _peak_visitors(exhibition: Exhibition, starts_at, ends_at, extra: int) -> int:
    """The most visitors in the hall at any moment between starts_at and ends_at, counting
    the seats of every scheduled tour there plus ``extra`` for the tour being planned.

    The load only rises when a tour starts, so checking the start of the new tour and every
    start inside it finds the peak."""
    overlapping = list(
        Tour.objects.filter(
            exhibition=exhibition, status=Tour.Status.SCHEDULED, starts_at__lt=ends_at, ends_at__gt=starts_at
        ).values_list("starts_at", "ends_at", "capacity")
    )
    instants = [starts_at] + [s for s, _e, _c in overlapping if s > starts_at]
    return max(extra + sum(c for s, e, c in overlapping if s <= instant < e) for instant in instants)


def _check_occurrence(*, exhibition: Exhibition, starts_at, ends_at, capacity: int, registration_deadline, now):
    errors = []
    local_start, local_end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if ends_at <= starts_at:
        errors.append(_("A tour must end after it starts."))
    elif (
        local_start.date() != local_end.date()
        or local_start.time() < exhibition.opens_at
        or local_end.time() > exhibition.closes_at
    ):
        errors.append(
            _("The tour must take place within the exhibition's opening hours, %(opens)s to %(closes)s.")
            % {"opens": _n(exhibition.opens_at.strftime("%H:%M")), "closes": _n(exhibition.closes_at.strftime("%H:%M"))}
        )
    if starts_at <= now:
        errors.append(_("The tour must start in the future."))
    if registration_deadline > starts_at:
        errors.append(_("Registration must close before the tour starts."))
    elif registration_deadline <= now:
        errors.append(_("The registration deadline has already passed."))
    if capacity > exhibition.visitor_capacity:
        errors.append(
            _("The exhibition holds %(hall)s visitors at a time; a tour cannot have more seats.")
            % {"hall": _n(exhibition.visitor_capacity)}
        )
    elif not errors:
        peak = _peak_visitors(exhibition, starts_at, ends_at, capacity)
        if peak > exhibition.visitor_capacity:
            free = exhibition.visitor_capacity - (peak - capacity)
            errors.append(
                _(
                    "Other tours are in the exhibition at that time: the hall holds %(hall)s visitors "
                    "and only %(free)s seats are free then."
                )
                % {"hall": _n(exhibition.visitor_capacity), "free": _n(max(free, 0))}
            )
    return errors


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
) -> list[Tour]:
    """Schedule a tour, or a weekly series of ``weeks`` tours, at an open exhibition.

    Every occurrence must fall within the exhibition's opening hours and keep the visitors of
    overlapping tours within the hall's capacity. All occurrences are created or none: the
    first rule broken raises ValidationError naming the date. The exhibition row stays
    locked until commit, so two organisers cannot both take the hall's last places."""
    if not is_tour_organiser(organiser):
        raise ValidationError(_("Only tour organisers can schedule tours."))
    if not 1 <= weeks <= MAX_SERIES_WEEKS:
        raise ValidationError(_("A series runs for 1 to %(max)s weeks.") % {"max": _n(MAX_SERIES_WEEKS)})
    if capacity < 1:
        raise ValidationError(_("A tour needs at least one seat."))
    exhibition = Exhibition.objects.select_for_update().get(pk=exhibition.pk)
    if exhibition.status != Exhibition.Status.OPEN:
        raise ValidationError(_("Tours can only be scheduled at an open exhibition."))
    now = timezone.now()
    series = uuid.uuid4() if weeks > 1 else None
    sectors = list(sectors)
    tours = []
    for week in range(weeks):
        # Weekly in Tehran wall-clock time: same local hour every week.
        shift = datetime.timedelta(weeks=week)
        occ_start = _same_local_time(starts_at, shift)
        occ_end = _same_local_time(ends_at, shift)
        occ_deadline = _same_local_time(registration_deadline, shift)
        errors = _check_occurrence(
            exhibition=exhibition, starts_at=occ_start, ends_at=occ_end, capacity=capacity,
            registration_deadline=occ_deadline, now=now,
        )
        if errors:
            if weeks > 1:
                from portal.templatetags.portal_tags import date as date_label

                errors = [_("%(date)s: %(error)s") % {"date": date_label(occ_start), "error": e} for e in errors]
            raise ValidationError(errors)
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
            registration.save(update_fields=["status", "updated_at"])
            free -= registration.attendees
            promoted.append(registration)
    return promoted


def _notify(registration_ids: list[int], event: str) -> None:
    from matchmaking.tour_tasks import notify_tour_registration

    for pk in registration_ids:
        transaction.on_commit(lambda pk=pk: notify_tour_registration.enqueue(pk, event))


def _clean_names(attendee_names: str) -> str:
    # Names are kept as typed (they are printed on the roster), one per line, blank lines dropped.
    return "\n".join(line.strip() for line in (attendee_names or "").splitlines() if line.strip())


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
    if not (company.is_supplier and company.is_verified):
        raise ValidationError(_("Only verified supplier companies can register for tours."))
    if attendees < 1:
        raise ValidationError(_("Register at least one attendee."))
    tour = Tour.objects.select_for_update().get(pk=tour.pk)
    now = timezone.now()
    if tour.status != Tour.Status.SCHEDULED:
        raise ValidationError(_("This tour is not open for registration."))
    if now >= tour.registration_deadline:
        raise ValidationError(_("Registration for this tour has closed."))
    if attendees > tour.capacity:
        raise ValidationError(
            _("This tour has %(seats)s seats in all; a group of %(n)s cannot join it.")
            % {"seats": _n(tour.capacity), "n": _n(attendees)}
        )
    names = _clean_names(attendee_names)
    if names and len(names.splitlines()) > attendees:
        raise ValidationError(_("You listed more names than attendees."))
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
    registration = TourRegistration.objects.get(pk=registration.pk)
    if registration.status == TourRegistration.Status.CANCELLED:
        raise ValidationError(_("This registration is already cancelled."))
    if tour.status != Tour.Status.SCHEDULED or tour.starts_at <= timezone.now():
        raise ValidationError(_("This tour has already started or is no longer scheduled."))
    registration.status = TourRegistration.Status.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    promoted = _promote_waitlisted(tour)
    _notify([registration.pk], "cancelled")
    _notify([r.pk for r in promoted], "promoted")
    return promoted


@transaction.atomic
def tour_cancel(*, tour: Tour, by=None, reason: str = "") -> Tour:
    """Cancel a scheduled tour that has not started; every company registered (confirmed or
    waitlisted) is notified."""
    tour = Tour.objects.select_for_update().get(pk=tour.pk)
    if tour.status != Tour.Status.SCHEDULED:
        raise ValidationError(_("Only a scheduled tour can be cancelled."))
    if tour.starts_at <= timezone.now():
        raise ValidationError(_("This tour has already started."))
    tour.status = Tour.Status.CANCELLED
    tour.cancelled_at = timezone.now()
    tour.cancel_reason = (reason or "").strip()[:300]
    tour.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    affected = tour.registrations.exclude(status=TourRegistration.Status.CANCELLED).values_list("pk", flat=True)
    _notify(list(affected), "tour_cancelled")
    return tour


@transaction.atomic
def attendance_mark(*, registration: TourRegistration, attended: int, by=None) -> TourRegistration:
    """Record at the door how many of a confirmed registration's people came (0 = no-show).

    Allowed from the day of the tour; the first check-in after the start marks the tour as
    held."""
    tour = Tour.objects.select_for_update().get(pk=registration.tour_id)
    registration = TourRegistration.objects.get(pk=registration.pk)
    now = timezone.now()
    if tour.status == Tour.Status.CANCELLED:
        raise ValidationError(_("This tour was cancelled."))
    if timezone.localtime(now).date() < timezone.localtime(tour.starts_at).date():
        raise ValidationError(_("Check-in opens on the day of the tour."))
    if registration.status != TourRegistration.Status.CONFIRMED:
        raise ValidationError(_("Only confirmed registrations can be checked in."))
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
def tour_mark_held(*, tour: Tour, by=None) -> Tour:
    """Close a tour that has taken place (its attendance is what the statistics count)."""
    tour = Tour.objects.select_for_update().get(pk=tour.pk)
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
