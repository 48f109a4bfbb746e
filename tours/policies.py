"""Who may organise and manage tours: the "tour organisers" role and the province rule
staff follow everywhere else (exhibitions.selectors)."""

from exhibitions.selectors import staff_serves
from tours.models import Tour

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
