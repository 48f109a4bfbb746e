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


# --- issue 11, point 4: the language a user is written to in ------------------------------------
def _sign_up(client, url: str, username: str):
    return client.post(url, {
        "username": username, "email": f"{username}@example.com", "password1": PASSWORD, "password2": PASSWORD,
    })


def test_signing_up_on_the_english_site_makes_english_the_users_language(client):
    from accounts.selectors import language_of

    _sign_up(client, "/en/account/signup/", "anglo")
    _sign_up(client, "/account/signup/", "farsi")

    users = get_user_model().objects
    assert language_of(users.get(username="anglo")) == "en"
    assert language_of(users.get(username="farsi")) == "fa"


def test_the_activation_mail_of_an_english_sign_up_is_in_english(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _sign_up(client, "/en/account/signup/", "anglo")
    [letter] = mail.outbox
    assert letter.subject == "Confirm your email address"
    assert "/en/account/confirm/" in letter.body


def test_a_signed_in_user_switches_the_language_with_a_form_that_keeps_their_choice():
    """The header's switch, submitted as a browser would (CSRF checked), keeps the choice."""
    from django.test import Client

    from accounts.selectors import language_of

    user = UserFactory(username="switcher")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    page = client.get("/stats/").content.decode()
    form = re.search(r'<form class="lang-switch" method="post" action="([^"]+)">(.*?)</form>', page).groups()
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form[1]))
    assert fields["next"] == "/en/stats/" and fields["language"] == "en"
    response = client.post(form[0], fields)

    assert response.status_code == 302 and response["Location"] == "/en/stats/"
    assert language_of(user) == "en"
    assert 'class="lang" href="/stats/"' not in client.get("/en/stats/").content.decode()


def test_switching_the_language_while_signed_in_keeps_the_new_language(client):
    from accounts.selectors import language_of

    user = UserFactory(username="switcher")
    client.force_login(user)

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/en/stats/"})
    assert response.status_code == 302 and response["Location"] == "/en/stats/"
    assert language_of(user) == "en"

    response = client.post("/i18n/setlang/", {"language": "fa", "next": "/stats/"})
    assert response["Location"] == "/stats/"
    assert language_of(user) == "fa"


def test_switching_with_an_unknown_language_or_signed_out_keeps_nothing(client):
    from accounts.models import UserPreferences

    user = UserFactory(username="switcher")
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/en/stats/"}).status_code == 302
    client.force_login(user)
    assert client.post("/i18n/setlang/", {"language": "xx", "next": "/stats/"}).status_code == 302
    assert client.get("/i18n/setlang/", {"language": "en", "next": "/en/stats/"}).status_code == 302
    assert not UserPreferences.objects.exists()


def test_the_password_reset_mail_is_in_the_users_language_whichever_page_asked(client):
    from accounts.services import language_set

    anglo = UserFactory(username="anglo", email="anglo@example.com")
    language_set(user=anglo, language="en")
    farsi = UserFactory(username="farsi", email="farsi@example.com")
    language_set(user=farsi, language="fa")

    client.post("/account/password-reset/", {"email": "anglo@example.com"})
    client.post("/en/account/password-reset/", {"email": "farsi@example.com"})

    [to_anglo] = [m for m in mail.outbox if m.to == ["anglo@example.com"]]
    [to_farsi] = [m for m in mail.outbox if m.to == ["farsi@example.com"]]
    assert to_anglo.subject == "Choose a new password"
    assert "https://" in to_anglo.body or "http://" in to_anglo.body
    assert "/en/account/password-reset/" in to_anglo.body
    assert to_farsi.subject == "گذرواژه تازه را انتخاب کنید"
    assert "/en/" not in to_farsi.body
