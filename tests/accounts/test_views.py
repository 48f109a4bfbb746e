"""Signing up, confirming the email address, resetting a password and the sign-in lockout."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-Long passphrase 42"


def _link(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", body).group(1)


def test_sign_up_mails_a_link_that_activates_and_signs_in(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/account/signup/", {
            "username": "sepahan", "email": "Sales@Sepahan.example", "password1": PASSWORD, "password2": PASSWORD,
        })
    assert response.status_code == 200 and "sales@sepahan.example" in response.content.decode()
    user = get_user_model().objects.get(username="sepahan")
    assert not user.is_active and user.email == "sales@sepahan.example"
    assert mail.outbox[0].to == ["sales@sepahan.example"]

    login = client.post("/en/account/login/", {"username": "sepahan", "password": PASSWORD})
    assert "Confirm your email address first" in login.content.decode()

    response = client.get(_link(mail.outbox[0].body))
    assert response.status_code == 302 and response["Location"].endswith("/account/company/")
    user.refresh_from_db()
    assert user.is_active
    assert client.get("/account/").status_code == 200


def test_a_wrong_confirmation_link_is_refused(client):
    assert client.get("/account/confirm/MQ/wrong-token/").status_code == 400


def test_password_reset_mails_a_working_link(client):
    UserFactory(username="forgetful", email="f@example.com")
    client.post("/en/account/password-reset/", {"email": "f@example.com"})
    link = _link(mail.outbox[0].body)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    client.post(form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert client.post("/account/login/", {"username": "forgetful", "password": PASSWORD}).status_code == 302


def test_the_password_reset_link_comes_from_site_url_whatever_host_the_request_named(client, settings):
    """A request may name any allowed host (or a proxy may pass one through): the link that
    carries the reset token must still point at the portal, never at that host."""
    settings.SITE_URL = "https://portal.example.ir"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "evil.example"]
    UserFactory(username="forgetful", email="f@example.com")
    client.post("/en/account/password-reset/", {"email": "f@example.com"}, HTTP_HOST="evil.example")
    [letter] = mail.outbox
    links = re.findall(r"https?://\S+", letter.body)
    assert links and all(link.startswith("https://portal.example.ir/en/account/password-reset/") for link in links)
    assert "evil.example" not in letter.body + letter.subject


def test_login_is_locked_after_repeated_failures(client, settings):
    UserFactory(username="target")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/en/account/login/", {"username": "target", "password": "wrong"})
    response = client.post("/en/account/login/", {"username": "target", "password": "correct horse battery staple"})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
