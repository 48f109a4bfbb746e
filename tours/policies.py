"""Who may organise and manage tours: the "tour organisers" role and the province rule
staff follow everywhere else (exhibitions.selectors)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from companies.selectors import approved_company_ids
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
