"""What an exhibition change must keep for the tours scheduled there. The exhibitions app
cannot see tours (it sits below them), so these checks are registered on its model
(core/dependents.py) and run from Exhibition.clean(): an exhibition stays open while tours
are ahead, and its hours and visitor capacity keep holding every tour ahead, by the rules
tour scheduling itself applies (tours.services: tour_hours_error, tour_hall_error)."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formats import date as date_label
from core.formats import digits
from exhibitions.models import Exhibition, exhibition_checks
from tours.models import Tour
from tours.services import tour_hall_error, tour_hours_error


@exhibition_checks.register
def tours_ahead_keep_their_exhibition(exhibition: Exhibition, stored: Exhibition | None) -> None:
    if stored is None or None in (exhibition.opens_at, exhibition.closes_at, exhibition.visitor_capacity):
        return  # a new exhibition has no tours; a missing value is the field's own error
    leaves_open = stored.is_open and not exhibition.is_open
    hours_field = _changed_hours(exhibition, stored)
    resized = exhibition.visitor_capacity != stored.visitor_capacity
    if not (leaves_open or hours_field or resized):
        return
    ahead = list(
        Tour.objects.filter(exhibition=exhibition, status=Tour.Status.SCHEDULED, starts_at__gt=timezone.now())
        .order_by("starts_at")
    )
    errors: dict[str, list[str]] = {}
    if leaves_open and ahead:
        errors["status"] = [
            _("Tours are scheduled here ahead (%(n)s); cancel them before the exhibition stops being open.")
            % {"n": digits(len(ahead))}
        ]
    for tour in ahead:
        when = {"exhibition": exhibition, "starts_at": tour.starts_at, "ends_at": tour.ends_at}
        if hours_field and (error := tour_hours_error(**when)):
            errors.setdefault(hours_field, []).append(_about(tour, error))
        if resized and (error := tour_hall_error(**when, capacity=tour.capacity, excluding=tour.pk)):
            errors.setdefault("visitor_capacity", []).append(_about(tour, error))
    if errors:
        raise ValidationError(errors)


def _changed_hours(exhibition: Exhibition, stored: Exhibition) -> str | None:
    """The field a tour outside the new hours is reported on (None: the hours are as stored)."""
    opens, closes = exhibition.opens_at != stored.opens_at, exhibition.closes_at != stored.closes_at
    if opens and closes:
        return NON_FIELD_ERRORS
    return "opens_at" if opens else "closes_at" if closes else None


def _about(tour: Tour, error: str) -> str:
    return _("Tour “%(tour)s” on %(date)s: %(error)s") % {
        "tour": tour.title, "date": date_label(tour.starts_at), "error": error,
    }
