"""The funnel of the programme, per province: needs identified -> on display -> readiness
declarations -> shortlisted -> meetings held -> contracts signed.

Each step counts the events dated within the period (a need identified in March and put on
display in May counts as identified in a March report and as displayed in a May one), for
the needs of the chosen provinces and sector. The conversion of a step is its count over the
count of the step before. The median days of a step are measured need by need, from the
need's previous step to its first event of this step (identified_on -> displayed_at -> first
declaration -> first shortlist -> first meeting held -> earliest contract), over the needs
whose event of this step falls within the period.

A fixed number of queries whatever the data size: the provinces, one grouped count per
model (needs, declarations, meetings, outcomes), the needs' first dates for the medians, and
the FX saved (matchmaking.selectors.fx_saved)."""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Collection
from decimal import Decimal

from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exhibitions.models import Province
from matchmaking import selectors as matchmaking_selectors
from matchmaking.models import Interest, Meeting, Outcome
from needs.models import Need
from needs.selectors import counted_declarations, held_meetings

STEPS = ("identified", "displayed", "declared", "shortlisted", "held", "contracted")

STEP_LABELS = {
    "identified": _("Needs identified"),
    "displayed": _("On display"),
    "declared": _("Readiness declarations"),
    "shortlisted": _("Shortlisted"),
    "held": _("Meetings held"),
    "contracted": _("Contracts signed"),
}

_SIGNED = Outcome.Result.CONTRACT_SIGNED


def _moments(since: datetime.date, until: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The period as moments in Tehran time: from the start of `since` to the end of `until`."""
    zone = timezone.get_default_timezone()
    start = datetime.datetime.combine(since, datetime.time(0), zone)
    end = datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time(0), zone)
    return start, end


def _local_day(value) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date()
    return value


def _step_counts(*, since, until, province_ids, sector_id, now) -> dict[int, dict[str, int]]:
    """{province id: {step: count}}, from one grouped query per model."""
    start, end = _moments(since, until)
    counts: dict[int, dict[str, int]] = {}

    def add(rows, province_key):
        for row in rows:
            target = counts.setdefault(row.pop(province_key), dict.fromkeys(STEPS, 0))
            for step, n in row.items():
                target[step] += n

    needs = Need.objects.filter(province_id__in=province_ids)
    interests = Interest.objects.filter(counted_declarations(), need__province_id__in=province_ids)
    meetings = Meeting.objects.filter(held_meetings(now=now), interest__need__province_id__in=province_ids)
    outcomes = Outcome.objects.filter(result=_SIGNED, meeting__interest__need__province_id__in=province_ids)
    if sector_id is not None:
        needs = needs.filter(sector_id=sector_id)
        interests = interests.filter(need__sector_id=sector_id)
        meetings = meetings.filter(interest__need__sector_id=sector_id)
        outcomes = outcomes.filter(meeting__interest__need__sector_id=sector_id)

    identified = Q(identified_on__range=(since, until))
    displayed = Q(displayed_at__gte=start, displayed_at__lt=end)
    add(needs.filter(identified | displayed).order_by().values("province_id").annotate(
        identified=Count("pk", filter=identified), displayed=Count("pk", filter=displayed),
    ), "province_id")
    declared = Q(created_at__gte=start, created_at__lt=end)
    shortlisted = Q(shortlisted_at__gte=start, shortlisted_at__lt=end)
    add(interests.filter(declared | shortlisted).order_by().values("need__province_id").annotate(
        declared=Count("pk", filter=declared), shortlisted=Count("pk", filter=shortlisted),
    ), "need__province_id")
    add(meetings.filter(ends_at__gte=start, ends_at__lt=end).order_by().values("interest__need__province_id")
        .annotate(held=Count("pk")), "interest__need__province_id")
    add(outcomes.filter(signed_on__range=(since, until)).order_by().values("meeting__interest__need__province_id")
        .annotate(contracted=Count("pk")), "meeting__interest__need__province_id")
    return counts


def _journeys(*, since, until, province_ids, sector_id, now):
    """Each need with an event of a later step in the period: its province and the day of
    each step (the first declaration, shortlist, meeting held and the earliest contract).
    One query; the joins only feed minimums, so a need with many declarations is one row."""
    start, end = _moments(since, until)
    meeting_held = held_meetings("interests__meetings__", now=now)
    live = counted_declarations("interests__")
    needs = Need.objects.filter(province_id__in=province_ids)
    if sector_id is not None:
        needs = needs.filter(sector_id=sector_id)
    rows = (
        needs.order_by()
        .values("pk", "province_id", "identified_on", "displayed_at")
        .annotate(
            declared=Min("interests__created_at", filter=live),
            shortlisted=Min("interests__shortlisted_at", filter=live),
            held=Min("interests__meetings__ends_at", filter=meeting_held),
            contracted=Min("interests__meetings__outcome__signed_on",
                           filter=Q(interests__meetings__outcome__result=_SIGNED)),
        )
        .filter(
            Q(displayed_at__gte=start, displayed_at__lt=end)
            | Q(declared__gte=start, declared__lt=end)
            | Q(shortlisted__gte=start, shortlisted__lt=end)
            | Q(held__gte=start, held__lt=end)
            | Q(contracted__range=(since, until))
        )
    )
    for row in rows.iterator(chunk_size=2000):
        yield row["province_id"], [
            row["identified_on"], _local_day(row["displayed_at"]), _local_day(row["declared"]),
            _local_day(row["shortlisted"]), _local_day(row["held"]), row["contracted"],
        ]


def _durations(*, since, until, province_ids, sector_id, now) -> dict[int, dict[str, list[int]]]:
    """{province id: {step: [days from the step before, one per need]}}. A step recorded
    before the one it follows (a display moment backfilled from a later change) counts as
    0 days rather than a negative time."""
    durations: dict[int, dict[str, list[int]]] = {}
    for province_id, days in _journeys(
        since=since, until=until, province_ids=province_ids, sector_id=sector_id, now=now
    ):
        target = durations.setdefault(province_id, {step: [] for step in STEPS})
        for index in range(1, len(STEPS)):
            before, day = days[index - 1], days[index]
            if before is not None and day is not None and since <= day <= until:
                target[STEPS[index]].append(max(0, (day - before).days))
    return durations


def _median(values: list[int]) -> float | None:
    return statistics.median(values) if values else None


def _row(province, counts: dict[str, int], durations: dict[str, list[int]], fx_saved) -> dict:
    steps, previous = [], None
    for step in STEPS:
        count = counts.get(step, 0)
        steps.append({
            "key": step,
            "label": STEP_LABELS[step],
            "count": count,
            "conversion": (count / previous) if previous else None,
            "median_days": _median(durations.get(step, [])) if step != STEPS[0] else None,
        })
        previous = count
    return {"province": province, "steps": steps, "fx_saved_usd": fx_saved}


def funnel(
    *, since: datetime.date, until: datetime.date, province_ids: Collection[int], sector_id: int | None = None,
    now: datetime.datetime | None = None,
) -> dict:
    """The funnel of each province in `province_ids` (already limited to what the reader
    may see), side by side in Persian alphabetical order, and of all of them together.

    {"since", "until", "steps": STEPS, "provinces": [row], "total": row}, where a row is
    {"province", "steps": [{"key", "label", "count", "conversion", "median_days"}],
    "fx_saved_usd"}. The FX saved is matchmaking's figure for the provinces and period;
    with a sector chosen only the total carries it (the figure has no province by sector)."""
    now = now or timezone.now()
    province_ids = list(province_ids)
    provinces = list(Province.objects.filter(pk__in=province_ids))
    args = {"since": since, "until": until, "province_ids": province_ids, "sector_id": sector_id, "now": now}
    counts = _step_counts(**args)
    durations = _durations(**args)
    saved = matchmaking_selectors.fx_saved(since=since, until=until, province_ids=province_ids)

    rows = [
        _row(
            province, counts.get(province.pk, {}), durations.get(province.pk, {}),
            None if sector_id is not None else saved["by_province"].get(province.pk, Decimal(0)),
        )
        for province in provinces
    ]
    total_counts = {step: sum(c.get(step, 0) for c in counts.values()) for step in STEPS}
    total_durations = {step: [d for per in durations.values() for d in per[step]] for step in STEPS}
    total_saved = saved["by_sector"].get(sector_id, Decimal(0)) if sector_id is not None else saved["total_usd"]
    return {
        "since": since,
        "until": until,
        "steps": [{"key": step, "label": STEP_LABELS[step]} for step in STEPS],
        "provinces": rows,
        "total": _row(None, total_counts, total_durations, total_saved),
    }
