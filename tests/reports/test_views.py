"""The funnel page and its files for staff: scoped like the admin, filtered by province,
sector and a period typed in Jalali, in a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import UserFactory, province, sector
from tests.reports.conftest import at, journey

pytestmark = pytest.mark.django_db

D = datetime.date
PERIOD = {"since": "۱۴۰۴/۰۷/۰۹", "until": "۱۴۰۴/۱۰/۱۰"}  # 2025-10-01 to 2025-12-31


def _full(slug, **changes):
    steps = {
        "province_slug": slug, "identified": D(2025, 10, 5), "displayed": D(2025, 10, 9), "declared": [D(2025, 10, 20)],
        "shortlisted": D(2025, 10, 25), "held": at(D(2025, 11, 4)), "signed": D(2025, 11, 20),
    }
    return journey(**(steps | changes))


def _url(fmt=None):
    return reverse("reports:funnel-export", args=[fmt]) if fmt else reverse("reports:funnel")


def test_the_page_is_for_staff_only(client):
    assert client.get(_url()).status_code == 302
    client.force_login(UserFactory(username="someone"))
    response = client.get(_url())
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_provincial_staff_see_their_province(client, qom_staff, frozen_now):
    _full("qom")
    _full("tehran")
    client.force_login(qom_staff)
    response = client.get(_url(), PERIOD)
    assert response.status_code == 200
    report = response.context["report"]
    assert [row["province"].slug for row in report["provinces"]] == ["qom"]
    assert report["total"]["steps"][0]["count"] == 1
    assert "تهران" not in response.content.decode()
    choices = [choice for choice, _ in response.context["form"].fields["province"].choices if choice]
    assert [str(c) for c in choices] == [str(province("qom").pk)]


@pytest.mark.parametrize("fmt", [None, "xlsx", "csv", "pdf"])
def test_asking_for_another_province_is_not_found(client, qom_staff, fmt):
    client.force_login(qom_staff)
    assert client.get(_url(fmt), {"province": province("tehran").pk}).status_code == 404


def test_national_staff_see_every_province_side_by_side_and_the_nation(client, national_staff, frozen_now):
    _full("qom")
    _full("tehran")
    client.force_login(national_staff)
    response = client.get(_url(), PERIOD)
    report = response.context["report"]
    assert len(report["provinces"]) == 31
    assert report["scope"]["national"] and report["scope"]["side_by_side"]
    assert report["total"]["steps"][0]["count"] == 2
    page = response.content.decode()
    assert "کل کشور" in page or "Nation" in page
    assert 'class="funnel-grid"' in page


def test_national_staff_may_look_at_one_province(client, national_staff, frozen_now):
    _full("qom")
    _full("tehran")
    client.force_login(national_staff)
    report = client.get(_url(), {**PERIOD, "province": province("qom").pk}).context["report"]
    assert [row["province"].slug for row in report["provinces"]] == ["qom"]
    assert not report["scope"]["side_by_side"]


def test_the_period_is_typed_in_jalali(client, qom_staff, frozen_now):
    _full("qom", identified=D(2025, 10, 5))
    client.force_login(qom_staff)
    inside = client.get(_url(), {"since": "1404/07/13", "until": "1404/07/13"}).context["report"]  # 2025-10-05
    outside = client.get(_url(), {"since": "1404/07/14", "until": "1404/07/20"}).context["report"]
    assert inside["since"] == inside["until"] == D(2025, 10, 5)
    assert inside["total"]["steps"][0]["count"] == 1
    assert outside["total"]["steps"][0]["count"] == 0


def test_a_sector_filter(client, qom_staff, frozen_now):
    _full("qom", sector_slug="textile")
    _full("qom", sector_slug="food")
    client.force_login(qom_staff)
    report = client.get(_url(), {**PERIOD, "sector": sector("food").pk}).context["report"]
    assert report["total"]["steps"][0]["count"] == 1


def test_a_date_that_is_no_date_is_shown_as_an_error(client, qom_staff):
    client.force_login(qom_staff)
    response = client.get(_url(), {"since": "1404/13/40"})
    assert response.status_code == 200
    assert response.context["report"] is None
    assert response.context["form"].errors["since"]


def test_a_period_that_ends_before_it_starts_is_refused(client, qom_staff):
    client.force_login(qom_staff)
    response = client.get(_url(), {"since": "1404/08/01", "until": "1404/07/01"})
    assert response.context["report"] is None
    assert response.context["form"].non_field_errors()


def test_the_staff_dashboard_links_to_the_funnel(client, qom_staff):
    client.force_login(qom_staff)
    assert _url() in client.get(reverse("admin:index")).content.decode()


@pytest.mark.parametrize("fmt", [None, "xlsx", "csv", "pdf"])
def test_a_fixed_number_of_queries_whatever_the_data_size(client, national_staff, frozen_now, fmt):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(national_staff)
    counts = []
    for size in (1, 5):
        for n in range(size):
            _full(["qom", "tehran", "isfahan"][n % 3], declared=[D(2025, 10, 20), D(2025, 10, 22)])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(fmt), PERIOD).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_without_a_period_the_form_shows_the_last_twelve_months(client, qom_staff, frozen_now):
    client.force_login(qom_staff)
    response = client.get(_url())
    report = response.context["report"]
    assert report["until"] == frozen_now.date()
    assert report["since"] == frozen_now.date() - datetime.timedelta(days=365)
    page = response.content.decode()
    assert 'value="۱۴۰۴/۱۰/۳۰"' in page  # 2026-01-20, the report's last day
