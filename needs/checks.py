"""What a change of an exhibition, a shelf or a company must keep for the needs that rely
on it. Those apps sit below needs and cannot see them, so these checks are registered on
their models (core/dependents.py) and run from their clean(): the rules stay those of
Need.clean() (an exhibition of the need's province, open while the need is on display; a
shelf of that exhibition with the need's position; a buyer company of the need's province).
Imported by NeedsConfig.ready()."""

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _

from companies.models import Company, company_checks
from core.formats import digits
from exhibitions.models import Exhibition, Shelf, exhibition_checks, shelf_checks
from needs.models import Need, NeedStatus


@exhibition_checks.register
def needs_keep_their_exhibition(exhibition: Exhibition, stored: Exhibition | None) -> None:
    if stored is None:
        return
    errors = {}
    if stored.is_open and not exhibition.is_open:
        shown = Need.objects.filter(exhibition=exhibition, status=NeedStatus.ON_DISPLAY).count()
        if shown:
            errors["status"] = _(
                "Needs are on display in this exhibition (%(n)s); take them off display or withdraw them "
                "before it stops being open."
            ) % {"n": digits(shown)}
    if exhibition.province_id != stored.province_id:
        held = Need.objects.filter(exhibition=exhibition).count()
        if held:
            errors["province"] = _(
                "Needs of this province are shown in this exhibition (%(n)s); it cannot move to another province."
            ) % {"n": digits(held)}
    if errors:
        raise ValidationError(errors)


@shelf_checks.register
def samples_keep_their_shelf_place(shelf: Shelf, stored: Shelf | None) -> None:
    if stored is None:
        return
    errors = {}
    if shelf.positions is not None and shelf.positions < stored.positions:
        highest = Need.objects.filter(shelf=shelf).aggregate(highest=Max("shelf_position"))["highest"]
        if highest and shelf.positions < highest:
            errors["positions"] = _(
                "A sample sits at position %(n)s of this shelf; the shelf needs at least %(n)s positions."
            ) % {"n": digits(highest)}
    if shelf.exhibition_id != stored.exhibition_id:
        held = Need.objects.filter(shelf=shelf).count()
        if held:
            errors["exhibition"] = _(
                "Samples sit on this shelf (%(n)s); it cannot move to another exhibition."
            ) % {"n": digits(held)}
    if errors:
        raise ValidationError(errors)


@company_checks.register
def buyer_keeps_its_needs(company: Company, stored: Company | None) -> None:
    if stored is None:
        return
    moves = company.province_id != stored.province_id
    stops_buying = stored.is_buyer and not company.is_buyer
    if not (moves or stops_buying):
        return
    open_needs = Need.objects.filter(buyer=company).exclude(status=NeedStatus.WITHDRAWN).count()
    if not open_needs:
        return
    errors = {}
    if moves:
        errors["province"] = _(
            "This company has needs that are not withdrawn (%(n)s); a need's province is its buyer's, "
            "so the company cannot move to another province."
        ) % {"n": digits(open_needs)}
    if stops_buying:
        errors["is_buyer"] = _(
            "This company has needs that are not withdrawn (%(n)s); it stays a buyer while it has them."
        ) % {"n": digits(open_needs)}
    raise ValidationError(errors)
