import pytest

pytestmark = pytest.mark.django_db


def test_public_form_posts_beyond_the_rate_get_a_429_in_persian(client, settings):
    settings.POST_THROTTLE_RATE = 3
    statuses = [client.post("/account/login/", {"username": "x", "password": "y"}).status_code for _ in range(4)]
    assert 429 not in statuses[:3]
    assert statuses[3] == 429
    response = client.post("/account/login/", {"username": "x", "password": "y"})
    assert "تلاش کنید" in response.content.decode()
    assert int(response["Retry-After"]) <= 60


def test_each_address_has_its_own_count(client, settings):
    settings.POST_THROTTLE_RATE = 1
    client.post("/account/login/", {"username": "x", "password": "y"}, REMOTE_ADDR="10.0.0.1")
    assert client.post("/account/login/", {}, REMOTE_ADDR="10.0.0.2").status_code != 429
    assert client.post("/account/login/", {}, REMOTE_ADDR="10.0.0.1").status_code == 429


def test_a_forged_forwarded_header_does_not_dodge_the_throttle(client, settings):
    settings.POST_THROTTLE_RATE = 1
    client.post("/account/login/", {}, HTTP_X_FORWARDED_FOR="1.1.1.1")
    assert client.post("/account/login/", {}, HTTP_X_FORWARDED_FOR="2.2.2.2").status_code == 429


def test_staff_in_the_admin_are_not_throttled(admin_client, settings):
    settings.POST_THROTTLE_RATE = 1
    for _ in range(3):
        assert admin_client.post("/admin/logout/").status_code != 429
