import datetime

import pytest
from django.utils import timezone

from tests.factories import ExhibitionFactory, SupplierFactory, TourFactory, province
from tours.models import Tour
from tours.selectors import tour_figures
from tours.services import attendance_mark, tour_register

pytestmark = pytest.mark.django_db


def held_tour(exhibition, people):
    tour = TourFactory(exhibition=exhibition, capacity=20)
    regs = [tour_register(tour=tour, company=SupplierFactory(), attendees=n) for n in people]
    now = timezone.now()
    Tour.objects.filter(pk=tour.pk).update(
        starts_at=now - datetime.timedelta(minutes=1), ends_at=now + datetime.timedelta(hours=1),
        registration_deadline=now - datetime.timedelta(hours=1),
    )
    for reg, n in zip(regs, people):
        attendance_mark(registration=reg, attended=n - 1)  # one person of each company stayed away
    return tour, regs


def test_tour_figures_count_held_tours_attendees_and_companies_per_province_and_exhibition(
    django_assert_max_num_queries,
):
    qom = ExhibitionFactory(province=province("qom"))
    tehran = ExhibitionFactory(province=province("tehran"))
    held_tour(qom, [3, 2])
    held_tour(qom, [2])
    held_tour(tehran, [4, 1])  # the 1-person company attended with 0: not counted as a company
    TourFactory(exhibition=tehran)  # upcoming, not held
    with django_assert_max_num_queries(7):
        figures = tour_figures()
    assert (figures["tours_held"], figures["tour_attendees"], figures["tour_companies"]) == (3, 2 + 1 + 1 + 3, 4)
    assert figures["tours_upcoming"] == 1
    rows = {r["slug"]: r for r in figures["tours_by_province"]}
    assert (rows["qom"]["tours_held"], rows["qom"]["attendees"], rows["qom"]["companies"]) == (2, 4, 3)
    assert (rows["tehran"]["tours_held"], rows["tehran"]["attendees"], rows["tehran"]["companies"]) == (1, 3, 1)
    assert {r["slug"] for r in figures["tours_by_exhibition"]} == {qom.slug, tehran.slug}


def test_api_stats_carries_the_tour_figures(client):
    held_tour(ExhibitionFactory(), [2])
    data = client.get("/api/stats/").json()
    assert data["tours"]["tours_held"] == 1 and data["tours"]["tour_attendees"] == 1
