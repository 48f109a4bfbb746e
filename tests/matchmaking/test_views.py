"""The signed-in member's pages: the account dashboard /account/."""

import pytest

from tests.factories import declaration, parties

pytestmark = pytest.mark.django_db


def test_the_dashboard_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(3):
        interest = declaration()
    buyer, supplier = parties(interest)
    client.force_login(supplier)
    with django_assert_max_num_queries(20):
        assert client.get("/account/").status_code == 200

