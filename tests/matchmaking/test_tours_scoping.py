import pytest

from matchmaking.selectors_tours import organiser_tours
from matchmaking.services.tours import can_manage_tour
from tests.factories import ExhibitionFactory, TourFactory, province

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
