import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import ExhibitionFactory, TourFactory, next_week_at, province
from tours.forms import TourCreateForm
from tours.models import Tour
from tours.policies import can_manage_tour
from tours.selectors import organiser_tours
from tours.services import tour_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def qom_and_tehran_tours():
    qom = TourFactory(exhibition=ExhibitionFactory(province=province("qom")))
    tehran = TourFactory(exhibition=ExhibitionFactory(province=province("tehran")))
    return qom, tehran


def test_staff_of_qom_manage_qom_tours_but_not_tehran_tours(qom_staff, qom_and_tehran_tours):
    qom, tehran = qom_and_tehran_tours
    assert can_manage_tour(qom_staff, qom)
    assert not can_manage_tour(qom_staff, tehran)
    assert list(organiser_tours(user=qom_staff)) == [qom]


def test_national_staff_manage_every_tour(national_staff, qom_and_tehran_tours):
    assert all(can_manage_tour(national_staff, tour) for tour in qom_and_tehran_tours)
    assert set(organiser_tours(user=national_staff)) == set(qom_and_tehran_tours)


def test_an_organiser_manages_only_their_own_tours(organiser_user, qom_and_tehran_tours):
    qom, tehran = qom_and_tehran_tours
    own = TourFactory(exhibition=qom.exhibition, organiser=organiser_user)
    assert can_manage_tour(organiser_user, own)
    assert not can_manage_tour(organiser_user, qom)
    assert list(organiser_tours(user=organiser_user)) == [own]


# --- scheduling: provincial staff only at their provinces' exhibitions -----------------------
def _tour_form(exhibition, **overrides) -> dict:
    day = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    data = {
        "exhibition": exhibition.pk, "title": "تور بازدید قطعه‌سازان", "date": day, "start_time": "10:00",
        "end_time": "12:00", "capacity": "20", "deadline_hours": "24", "weeks": "1", "meeting_point": "ورودی اصلی",
        "language": "fa",
    }
    return {**data, **overrides}


def _create(exhibition, organiser, **extra):
    return tour_create(
        exhibition=exhibition, organiser=organiser, title="تور", starts_at=next_week_at(10), ends_at=next_week_at(12),
        capacity=10, meeting_point="ورودی", registration_deadline=next_week_at(9), **extra,
    )


def test_qom_staff_cannot_schedule_a_tour_at_a_tehran_exhibition_on_the_site(client, qom_staff):
    ExhibitionFactory(province=province("qom"), title_en="Qom hall")
    tehran = ExhibitionFactory(province=province("tehran"), title_en="Tehran hall")
    client.force_login(qom_staff)
    with translation.override("en"):
        url = reverse("tours:create")
    page = client.get(url).content.decode()
    assert "Qom hall" in page and "Tehran hall" not in page  # not offered...
    response = client.post(url, _tour_form(tehran))  # ...and refused when posted anyway
    assert response.status_code == 400
    assert not Tour.objects.exists()


def test_tour_create_refuses_qom_staff_at_a_tehran_exhibition(qom_staff):
    tehran = ExhibitionFactory(province=province("tehran"))
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        _create(tehran, qom_staff)
    assert "exhibitions of your provinces" in " ".join(refused.value.messages)
    assert not Tour.objects.exists()


def test_tour_create_refuses_a_tehran_organiser_chosen_by_national_staff_for_a_qom_tour(national_staff, tehran_staff):
    qom = ExhibitionFactory(province=province("qom"))
    with pytest.raises(ValidationError):
        _create(qom, tehran_staff, by=national_staff)
    assert not Tour.objects.exists()


def test_staff_schedule_in_their_provinces_national_staff_and_organisers_anywhere(
    qom_staff, national_staff, organiser_user
):
    qom = ExhibitionFactory(province=province("qom"))
    tehran = ExhibitionFactory(province=province("tehran"))
    assert _create(qom, qom_staff)[0].exhibition == qom
    assert _create(tehran, national_staff)[0].exhibition == tehran
    assert _create(tehran, organiser_user)[0].exhibition == tehran


def test_the_site_form_offers_organisers_every_open_exhibition_and_staff_theirs(
    qom_staff, national_staff, organiser_user
):
    qom = ExhibitionFactory(province=province("qom"))
    tehran = ExhibitionFactory(province=province("tehran"))
    ExhibitionFactory(province=province("tehran"), status="planned")
    assert set(TourCreateForm(user=qom_staff).fields["exhibition"].queryset) == {qom}
    assert set(TourCreateForm(user=national_staff).fields["exhibition"].queryset) == {qom, tehran}
    assert set(TourCreateForm(user=organiser_user).fields["exhibition"].queryset) == {qom, tehran}


def test_qom_staff_who_organised_a_tehran_tour_no_longer_manage_it(client, qom_staff):
    tehran_tour = TourFactory(exhibition=ExhibitionFactory(province=province("tehran")), organiser=qom_staff)
    assert not can_manage_tour(qom_staff, tehran_tour)
    assert list(organiser_tours(user=qom_staff)) == []
    client.force_login(qom_staff)
    assert client.get(reverse("tours:roster", args=[tehran_tour.pk])).status_code == 404
