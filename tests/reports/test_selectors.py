"""The funnel: needs identified -> on display -> declarations -> shortlisted -> meetings held
-> contracts, per province, counted by the date of each event within the period, with the
conversion from the step before and the median days a need took from the step before."""

import datetime

import pytest

from exhibitions.models import Province
from reports.selectors import STEPS, funnel
from tests.factories import province, sector
from tests.reports.conftest import at, journey

pytestmark = pytest.mark.django_db

D = datetime.date
SINCE, UNTIL = D(2025, 10, 1), D(2025, 12, 31)


def _full(province_slug="qom", **changes):
    steps = {
        "province_slug": province_slug, "identified": D(2025, 10, 5), "displayed": D(2025, 10, 9), "declared": [D(2025, 10, 20)],
        "shortlisted": D(2025, 10, 25), "held": at(D(2025, 11, 4)), "signed": D(2025, 11, 20),
    }
    return journey(**(steps | changes))


def _counts(row):
    return {step["key"]: step["count"] for step in row["steps"]}


def _qom():
    return [province("qom").pk]


def test_the_steps_in_their_order():
    assert STEPS == ("identified", "displayed", "declared", "shortlisted", "held", "contracted")


def test_a_need_that_went_all_the_way_counts_once_at_each_step(frozen_now):
    _full()
    result = funnel(since=SINCE, until=UNTIL, province_ids=_qom())
    assert _counts(result["total"]) == dict.fromkeys(STEPS, 1)
    assert [row["province"].slug for row in result["provinces"]] == ["qom"]


def test_each_step_counts_events_dated_in_the_period(frozen_now):
    # Identified before the period; everything after it happened inside.
    _full(identified=D(2025, 9, 1))
    # Everything after the period.
    _full(identified=D(2026, 1, 2), displayed=D(2026, 1, 3), declared=[D(2026, 1, 4)], shortlisted=None,
          held=None, signed=None)
    result = funnel(since=SINCE, until=UNTIL, province_ids=_qom())
    assert _counts(result["total"]) == {**dict.fromkeys(STEPS, 1), "identified": 0}


def test_declarations_count_each_one_but_not_withdrawn_ones(frozen_now):
    journey(identified=D(2025, 10, 2), declared=[D(2025, 10, 3), D(2025, 10, 4)])
    journey(identified=D(2025, 10, 2), declared=[D(2025, 10, 3)], withdrawn=True)
    assert _counts(funnel(since=SINCE, until=UNTIL, province_ids=_qom())["total"])["declared"] == 2


def test_a_meeting_is_held_only_when_confirmed_and_over(frozen_now):
    journey(identified=D(2025, 10, 2), declared=[D(2025, 10, 3)], held=at(D(2025, 10, 9)), meeting_status="proposed")
    journey(identified=D(2025, 10, 2), declared=[D(2025, 10, 3)], held=at(D(2025, 10, 9)), meeting_status="cancelled")
    journey(identified=D(2025, 10, 2), declared=[D(2025, 10, 3)], held=frozen_now + datetime.timedelta(hours=3))
    journey(identified=D(2025, 10, 2), declared=[D(2025, 10, 3)], held=at(D(2025, 10, 9)))
    result = funnel(since=SINCE, until=D(2026, 2, 1), province_ids=_qom())
    assert _counts(result["total"])["held"] == 1


def test_conversion_is_each_step_over_the_one_before(frozen_now):
    _full()
    for _ in range(3):
        journey(identified=D(2025, 10, 5), displayed=D(2025, 10, 6))
    steps = {s["key"]: s for s in funnel(since=SINCE, until=UNTIL, province_ids=_qom())["total"]["steps"]}
    assert steps["identified"]["conversion"] is None
    assert steps["displayed"]["conversion"] == pytest.approx(1.0)
    assert steps["declared"]["conversion"] == pytest.approx(0.25)


def test_no_conversion_from_an_empty_step(frozen_now):
    journey(identified=D(2025, 9, 1), displayed=D(2025, 10, 6))
    steps = {s["key"]: s for s in funnel(since=SINCE, until=UNTIL, province_ids=_qom())["total"]["steps"]}
    assert steps["displayed"]["count"] == 1
    assert steps["displayed"]["conversion"] is None


def test_median_days_are_measured_per_need_from_the_step_before(frozen_now):
    _full(identified=D(2025, 10, 1), displayed=D(2025, 10, 5))  # 4 days
    _full(identified=D(2025, 10, 1), displayed=D(2025, 10, 11))  # 10 days
    _full(identified=D(2025, 10, 1), displayed=D(2025, 10, 12), declared=[D(2025, 10, 30), D(2025, 10, 13)])
    steps = {s["key"]: s for s in funnel(since=SINCE, until=UNTIL, province_ids=_qom())["total"]["steps"]}
    assert steps["identified"]["median_days"] is None
    assert steps["displayed"]["median_days"] == 10
    # The first declaration counts: 15, 9 and 1 day after display.
    assert steps["declared"]["median_days"] == 9
    assert steps["shortlisted"]["median_days"] == 5
    assert steps["held"]["median_days"] == 10
    assert steps["contracted"]["median_days"] == 16


def test_the_period_of_a_median_is_the_later_step(frozen_now):
    # Identified long before the period, on display inside it: 100 days.
    journey(identified=D(2025, 7, 1), displayed=D(2025, 10, 9))
    steps = {s["key"]: s for s in funnel(since=SINCE, until=UNTIL, province_ids=_qom())["total"]["steps"]}
    assert steps["displayed"]["median_days"] == 100


def test_provinces_side_by_side_with_their_total(frozen_now):
    _full("qom")
    _full("tehran")
    _full("tehran")
    _full("isfahan")
    ids = [province("qom").pk, province("tehran").pk]
    result = funnel(since=SINCE, until=UNTIL, province_ids=ids)
    by_slug = {row["province"].slug: _counts(row) for row in result["provinces"]}
    assert by_slug == {"qom": dict.fromkeys(STEPS, 1), "tehran": dict.fromkeys(STEPS, 2)}
    assert _counts(result["total"]) == dict.fromkeys(STEPS, 3)


def test_every_province_asked_for_has_a_row_even_without_events(frozen_now):
    ids = list(Province.objects.values_list("pk", flat=True))
    result = funnel(since=SINCE, until=UNTIL, province_ids=ids)
    assert len(result["provinces"]) == 31
    assert _counts(result["total"]) == dict.fromkeys(STEPS, 0)


def test_a_sector_narrows_every_step(frozen_now):
    _full(sector_slug="textile")
    _full(sector_slug="auto-parts")
    result = funnel(since=SINCE, until=UNTIL, province_ids=_qom(), sector_id=sector("textile").pk)
    assert _counts(result["total"]) == dict.fromkeys(STEPS, 1)


@pytest.mark.parametrize("size", [1, 6])
def test_a_fixed_number_of_queries_whatever_the_data_size(frozen_now, size, django_assert_num_queries):
    for n in range(size):
        _full("qom" if n % 2 else "tehran", declared=[D(2025, 10, 20), D(2025, 10, 21)])
    ids = list(Province.objects.values_list("pk", flat=True))
    with django_assert_num_queries(QUERIES):
        funnel(since=SINCE, until=UNTIL, province_ids=ids)


# The provinces, needs' steps, declarations and shortlists, meetings held, contracts, the
# per-need dates for the medians, and the FX saved (matchmaking.selectors.fx_saved).
QUERIES = 7
