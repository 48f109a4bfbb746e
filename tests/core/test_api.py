"""The API's throttles (core/api.py): per caller, across endpoints, in the caller's language."""

import pytest

from tests.factories import UserFactory, displayed_need

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "user": "5/min"},
    }


def test_anonymous_callers_are_throttled_per_address(api, low_rates):
    displayed_need()
    assert [api.get("/api/needs/").status_code for _ in range(3)] == [200, 200, 200]
    throttled = api.get("/api/exhibitions/")  # the budget is per caller, across endpoints
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    assert "detail" in throttled.json()
    other_address = api.get("/api/needs/", REMOTE_ADDR="10.1.2.3")
    assert other_address.status_code == 200


def test_the_throttle_message_is_in_the_callers_language_and_digits(api, low_rates):
    for _ in range(3):
        api.get("/api/tours/")
    persian = api.get("/api/tours/").json()["detail"]
    english = api.get("/api/tours/", HTTP_ACCEPT_LANGUAGE="en").json()["detail"]
    assert english.startswith("Request was throttled. Expected available in ") and any(c.isascii() and c.isdigit() for c in english)
    assert not any(c.isascii() and c.isdigit() for c in persian)
    assert any("۰" <= c <= "۹" for c in persian)


def test_behind_a_proxy_callers_are_told_apart_by_forwarded_address(api, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "user": "5/min"}, "NUM_PROXIES": 1,
    }
    first = {"HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert [api.get("/api/tours/", **first).status_code for _ in range(3)] == [200, 200, 429]
    assert api.get("/api/tours/", HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 200


def test_signed_in_users_have_their_own_budget(api, low_rates):
    api.force_login(UserFactory(username="reader"))
    assert [api.get("/api/tours/").status_code for _ in range(6)] == [200] * 5 + [429]


def test_anonymous_callers_have_the_anonymous_budget_only(api, settings):
    """DRF's user throttle keys an anonymous caller by address too, so an anonymous budget
    above the signed-in one was cut to the signed-in one (found by make cluster-check)."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "8/min", "user": "3/min"}}
    assert [api.get("/api/tours/").status_code for _ in range(9)] == [200] * 8 + [429]


def test_the_default_budget_is_60_a_minute_for_anonymous_callers(api):
    codes = [api.get("/api/tours/").status_code for _ in range(61)]
    assert codes[:60] == [200] * 60 and codes[60] == 429


# --- query parameters: what the schema declares is what is read (core.api.QueryParam) ------
@pytest.mark.parametrize("value", ["abc", "2", "0", "1", "True", "yes", ""])
def test_a_boolean_is_true_or_false_and_nothing_else(value):
    from core.api import QueryParam

    param = QueryParam("past", "boolean")
    assert param.read(["true"]) is True and param.read(["false"]) is False
    with pytest.raises(ValueError):
        param.read([value])


@pytest.mark.parametrize("value", ["AAA", "-5", "0", "", "1.0", "1e3", "+3", " 3", "٣", "3_0"])
def test_a_whole_number_is_ascii_digits_at_least_its_minimum(value):
    from core.api import QueryParam

    param = QueryParam("page_size", "integer", minimum=1)
    assert param.read(["7"]) == 7
    with pytest.raises(ValueError):
        param.read([value])


def test_a_parameter_given_twice_or_empty_is_refused():
    from core.api import QueryParam

    with pytest.raises(ValueError):
        QueryParam("sort", choices=["fx"]).read(["fx", "fx"])
    with pytest.raises(ValueError):
        QueryParam("sort", choices=["fx"]).read([""])


def test_the_declared_pattern_is_the_one_read():
    from core.api import QueryParam

    param = QueryParam("hs", pattern="[0-9]{2,4}")
    assert param.openapi_dict()["schema"] == {"type": "string", "pattern": "^(?:[0-9]{2,4})$"}
    assert param.read(["8708"]) == "8708"
    for value in ("8", "87081", "87a", "8708\n"):
        with pytest.raises(ValueError):
            param.read([value])


# --- pagination: a bad page or page size is a 400 by name, never page 1 or 20 rows ----------
@pytest.mark.parametrize("field,value", [
    ("page_size", "AAA"), ("page_size", "-5"), ("page_size", "0"), ("page_size", ""), ("page", "x"),
    ("page", "0"), ("page", "-1"), ("page", "last"), ("page", "1.5"),
])
def test_a_bad_page_or_page_size_is_a_400_naming_it(api, field, value):
    for url in ("/api/needs/", "/api/exhibitions/", "/api/tours/"):
        response = api.get(url, {field: value})
        assert response.status_code == 400, (url, response.content)
        assert list(response.json()) == [field]


def test_a_page_size_message_is_in_the_callers_language(api):
    english = api.get("/api/tours/", {"page_size": "-5"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english == {"page_size": ["Enter a whole number of at least 1."]}
    persian = api.get("/api/tours/", {"page_size": "-5"}).json()["page_size"][0]
    assert persian != english["page_size"][0] and "۱" in persian


def test_a_parameter_given_twice_is_a_400(api):
    response = api.get("/api/tours/?page_size=5&page_size=6")
    assert response.status_code == 400 and list(response.json()) == ["page_size"]


def test_a_detail_reads_no_page(api):
    displayed = displayed_need()
    assert api.get(f"/api/needs/{displayed.pk}/", {"page": "x"}).status_code == 200


# --- every status the API answers is declared, with its JSON body ---------------------------
def _schema(api) -> dict:
    return api.get("/api/schema/", {"format": "json"}).json()


def test_every_operation_declares_its_errors_with_a_json_body(api):
    schema = _schema(api)
    assert schema["components"]["schemas"]["Error"]["properties"]["detail"]["type"] == "string"
    for path, operations in schema["paths"].items():
        responses = operations["get"]["responses"]
        lists = "{" not in path and path != "/api/stats/"
        expected = {"200", "404", "406", "414", "429", "500"} | ({"400"} if lists else set())
        assert expected <= set(responses), path
        for code in expected - {"200", "414", "400"}:
            body = responses[code]["content"]["application/json"]["schema"]
            assert body == {"$ref": "#/components/schemas/Error"}, (path, code)
        assert "Retry-After" in responses["429"]["headers"], path
        if lists:
            errors = responses["400"]["content"]["application/json"]["schema"]
            assert errors["additionalProperties"] == {"type": "array", "items": {"type": "string"}}


def test_the_declared_429_is_the_one_answered(api, low_rates):
    for _ in range(3):
        api.get("/api/needs/")
    throttled = api.get("/api/needs/")
    assert throttled.status_code == 429 and set(throttled.json()) == {"detail"}


def test_asking_for_anything_but_json_is_a_json_406(api):
    response = api.get("/api/tours/", HTTP_ACCEPT="application/xml")
    assert response.status_code == 406
    assert response["Content-Type"] == "application/json" and "detail" in response.json()
