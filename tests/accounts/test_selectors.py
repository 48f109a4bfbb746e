"""The language a user is written to in (accounts/selectors.py, accounts.services.language_set)."""

import pytest

from accounts.selectors import language_of, languages_of
from accounts.services import language_set
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_user_who_never_chose_reads_persian_or_the_default_given():
    user = UserFactory()
    assert language_of(user) == "fa"
    assert language_of(user, default="en") == "en"
    assert language_of(None) == "fa"


def test_a_chosen_language_wins_over_any_default():
    user = UserFactory()
    language_set(user=user, language="en")
    language_set(user=user, language="fa")
    assert language_of(user, default="en") == "fa"


def test_a_language_the_portal_does_not_speak_is_refused():
    user = UserFactory()
    with pytest.raises(ValueError):
        language_set(user=user, language="de")
    assert language_of(user) == "fa"


@pytest.mark.parametrize("count", [1, 20])
def test_the_languages_of_many_users_cost_one_query(django_assert_num_queries, count):
    users = [UserFactory() for _ in range(count)]
    for user in users[::2]:
        language_set(user=user, language="en")
    with django_assert_num_queries(1):
        languages = languages_of(users)
    assert languages == {user.pk: "en" if i % 2 == 0 else "fa" for i, user in enumerate(users)}
