"""Absurdly long inputs on the sign-in, sign-up and password-reset forms are form errors in
the reader's language, never a server error (django-axes records a failed sign-in's
username in a varchar(255) column)."""

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LONG_USERNAME = "u" * 256


def post_in(language: str, name: str, data: dict):
    """POST to the named account page with the page in `language`, as a browser would."""
    from django.test import Client

    with translation.override(language):
        url = reverse(name)
    return Client().post(url, data, REMOTE_ADDR="192.0.2.7")


def test_a_256_character_username_on_the_login_form_is_a_form_error_in_english():
    response = post_in("en", "accounts:login", {"username": LONG_USERNAME, "password": "whatever-1234"})

    assert response.status_code == 200
    assert "Ensure this value has at most 150 characters (it has 256)." in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_a_256_character_username_on_the_login_form_is_a_form_error_in_persian():
    response = post_in("fa", "accounts:login", {"username": LONG_USERNAME, "password": "whatever-1234"})

    assert response.status_code == 200
    form = response.context["form"]
    with translation.override("fa"):
        # Django's own Persian message for a too-long value, with the numbers in it.
        [message] = form.errors["username"]
    assert "150" in message or "۱۵۰" in message
    assert "Ensure this value" not in message


def test_a_256_character_username_on_the_admin_login_form_is_a_form_error():
    response = post_in("en", "admin:login", {"username": LONG_USERNAME, "password": "whatever-1234"})

    assert response.status_code == 200
    assert "Ensure this value has at most 150 characters (it has 256)." in response.content.decode()


def test_a_wrong_password_for_a_150_character_username_is_still_recorded_for_the_lockout():
    username = "r" * 150
    UserFactory(username=username)
    response = post_in("en", "accounts:login", {"username": username, "password": "wrong-password-1"})

    assert "Please enter a correct username and password" in response.content.decode()
    assert AccessAttempt.objects.filter(username=username).count() == 1


def test_an_absurdly_long_password_on_the_login_form_is_no_server_error():
    response = post_in("en", "accounts:login", {"username": "reza", "password": "p" * 100_000})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_absurdly_long_sign_up_fields_are_form_errors():
    response = post_in("en", "accounts:signup", {
        "username": LONG_USERNAME, "email": "a" * 300 + "@example.com",
        "first_name": "f" * 300, "last_name": "l" * 300,
        "password1": "p" * 5000, "password2": "p" * 5000,
    })

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"username", "email", "first_name", "last_name"} <= set(errors)
    assert "Ensure this value has at most 150 characters (it has 256)." in response.content.decode()


def test_an_absurdly_long_email_on_the_password_reset_form_is_a_form_error():
    response = post_in("en", "accounts:password-reset", {"email": "a" * 300 + "@example.com"})

    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert mail.outbox == []
