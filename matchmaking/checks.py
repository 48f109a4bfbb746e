"""What a change of an exhibition must keep for the meetings booked in its rooms: a room of
an open exhibition in the need's province (the rule meeting_propose applies). exhibitions
sits below matchmaking, so the check is registered on its model (core/dependents.py).
Imported by MatchmakingConfig.ready()."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.formats import digits
from exhibitions.models import Exhibition, exhibition_checks
from matchmaking.models import Meeting


@exhibition_checks.register
def meetings_keep_their_rooms(exhibition: Exhibition, stored: Exhibition | None) -> None:
    if stored is None:
        return
    closes = stored.is_open and not exhibition.is_open
    moves = exhibition.province_id != stored.province_id
    if not (closes or moves):
        return
    ahead = Meeting.objects.filter(
        room__exhibition=exhibition, status__in=Meeting.ACTIVE_STATUSES, ends_at__gt=timezone.now()
    ).count()
    if ahead:
        raise ValidationError({"status" if closes else "province": _(
            "Meetings are booked in this exhibition's rooms (%(n)s); cancel or move them first."
        ) % {"n": digits(ahead)}})
