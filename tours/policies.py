"""Who may organise and manage tours: the "tour organisers" role and the province rule
staff follow everywhere else (exhibitions.selectors)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.selectors import approved_company_ids
from core.formats import digits
from exhibitions.selectors import staff_serves
from tours.models import Tour, TourRegistration

ORGANISER_GROUP = "tour organisers"


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
    """Staff manage the tours at their provinces' exhibitions (national staff every tour:
    the admin's scoping rule), whoever organised them; other organisers manage the tours
    they organise."""
    if not is_tour_organiser(user):
        return False
    if user.is_staff:
        return staff_serves(user, tour.exhibition.province_id)
    return tour.organiser_id == user.pk


def ensure_may_manage_tour(user, tour: Tour) -> None:
    """Cancelling a tour, marking it held and checking visitors in are for whoever manages
    it (can_manage_tour); the services refuse anyone else, whatever page they came from."""
    if not can_manage_tour(user, tour):
        raise PermissionDenied(_("You do not manage this tour."))


def ensure_may_cancel_registration(user, registration: TourRegistration) -> None:
    """A registration is cancelled by an approved member of its company or by whoever
    manages the tour."""
    if registration.company_id in approved_company_ids(user):
        return
    ensure_may_manage_tour(user, registration.tour)


# --- when a tour takes these steps (the services raise these; pages ask them through
# core.forms.refusal, so they offer a step exactly when the service would take it) ----------
def ensure_registration_open(tour: Tour, now) -> None:
    if not tour.registration_open(now):
        if tour.status != Tour.Status.SCHEDULED:
            raise ValidationError(_("This tour is not open for registration."))
        raise ValidationError(_("Registration for this tour has closed."))


def ensure_tour_not_started(tour: Tour, now) -> None:
    """Cancelling a tour or a registration: only while the tour is scheduled and ahead."""
    if tour.status != Tour.Status.SCHEDULED:
        raise ValidationError(_("Only a scheduled tour can be cancelled."))
    if tour.starts_at <= now:
        raise ValidationError(_("This tour has already started."))


def ensure_check_in_open(tour: Tour, now) -> None:
    """Visitors are checked in from the day of the tour, unless it was cancelled."""
    if tour.status == Tour.Status.CANCELLED:
        raise ValidationError(_("This tour was cancelled."))
    if timezone.localtime(now).date() < timezone.localtime(tour.starts_at).date():
        raise ValidationError(_("Check-in opens on the day of the tour."))


def ensure_may_check_in(registration: TourRegistration, now) -> None:
    """A registration is checked in at the door from the day of its tour (ensure_check_in_open),
    and only while it is confirmed: the waiting list and cancelled registrations have no seat."""
    ensure_check_in_open(registration.tour, now)
    if registration.status == TourRegistration.Status.CANCELLED:
        raise ValidationError(_("This registration was cancelled: it has no seat on the tour and cannot be checked in."))
    if registration.status == TourRegistration.Status.WAITLISTED:
        raise ValidationError(
            _("This registration is on the waiting list, not confirmed: it has no seat on the tour and cannot be "
              "checked in.")
        )


def ensure_not_checked_in(registration: TourRegistration) -> None:
    """A check-in by the registration's code happens once: scanning it again changes nothing
    (the desk's attendance form is where a count is corrected). A group the desk recorded
    as absent (0) is not checked in (TourRegistration.is_checked_in) and may still arrive."""
    if registration.is_checked_in:
        raise ValidationError(
            _("Already checked in at %(time)s.")
            % {"time": digits(timezone.localtime(registration.checked_in_at).strftime("%H:%M"))}
        )
