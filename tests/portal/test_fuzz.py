"""Fuzzing the public lists with random query strings: whatever a visitor, a crawler or a
broken client sends, the catalogue, the directory, the tours and the API answer with a page,
a 400 or a 404, never a server error.

Each endpoint gets its own hypothesis run over one small, fixed data set (built once per
test: the views only read). The total of examples actually run is printed and asserted."""

import time
from collections import Counter
from urllib.parse import quote, quote_plus

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.factories import (
    CompanyFactory,
    ExhibitionFactory,
    ShelfFactory,
    SupplierFactory,
    TourFactory,
    displayed_need,
    province,
    sector,
)
from tours.models import TourRegistration

pytestmark = pytest.mark.django_db

ENDPOINTS = ["/needs/", "/en/needs/", "/companies/", "/tours/", "/api/needs/", "/api/stats/"]
EXAMPLES_PER_ENDPOINT = 350
MIN_TOTAL = 2000

# Every parameter name a page reads (catalogue, directory, tours, pagination, API, schema)...
REAL_KEYS = [
    "q", "province", "sector", "exhibition", "hs", "fx_min", "fx_max", "status", "sort", "page", "page_size",
    "date_from", "date_to", "past", "format", "lang",
]
# ...and what they are often mangled into.
JUNK_KEYS = ["q[]", "page[size]", "__proto__", "", " ", "Q", "sort%00", "fx_min\x00", "province.slug", "a" * 300]

PERSIAN = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیئءآأؤيكةۀ\u200c"
DIGITS = "0123456789" "۰۱۲۳۴۵۶۷۸۹" "٠١٢٣٤٥٦٧٨٩"  # ASCII, Persian, Arabic-Indic
SEPARATORS = ",٬٫.-+ eE"
PERCENT_JUNK = ["%", "%%", "%zz", "%f", "%FF%FE", "%C3%28", "%00", "%E2%80%AE", "%ED%A0%80", "%2", "%u0627", "+%20+"]


def _digits(min_size=1, max_size=30):
    return st.text(alphabet=DIGITS, min_size=min_size, max_size=max_size)


def _long(alphabet=None, min_size=500, max_size=6000):
    # Built by repeating a short piece: a 6,000-character draw would overrun hypothesis's
    # per-example budget and be thrown away unrun.
    piece = st.text(alphabet=alphabet, min_size=1, max_size=12) if alphabet else st.text(min_size=1, max_size=12)
    return st.builds(lambda p, n: (p * (n // len(p) + 1))[:n], piece, st.integers(min_size, max_size))


junk_values = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=PERSIAN + " ", max_size=40),
    _digits(),
    st.text(alphabet=DIGITS + SEPARATORS, max_size=30),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.integers(min_value=-(10**6), max_value=-1).map(str),
    st.sampled_from(["1e999999", "-1e999999", "1E-999999", "NaN", "Infinity", "-0", "0x10", "١e٣", "9" * 400]),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    _long(),
    st.sampled_from(["\x00", "a\x00b", "۱۲۳\x00", "\x00" * 50]),
    st.just(""),
)
# Values each real key accepts, so that many queries pass validation and reach the filtering,
# sorting and paging code behind it (a junk value in any field stops the API at a 400).
_date = st.builds(
    lambda y, m, d, sep: f"{y}{sep}{m}{sep}{d}",
    st.sampled_from(["1404", "۱۴۰۴", "2025", "٢٠٢٥", "1", "99999"]), st.integers(0, 13).map(str),
    st.integers(0, 32).map(str), st.sampled_from(["/", "-", ".", " / "]),
)
VALID_VALUES = {
    "q": st.one_of(st.text(alphabet=PERSIAN + " ", min_size=1, max_size=30), st.sampled_from(["لنت", "قم", "8708", "Isfahan"]),
                   _long(PERSIAN + DIGITS + " "), _long(min_size=100, max_size=400).map(lambda v: v.replace("\x00", ""))),
    "province": st.sampled_from(["isfahan", "qom", "tehran", "mazandaran"]),
    "sector": st.sampled_from(["auto-parts", "textile", "chemical", "metal"]),
    "exhibition": st.just("isfahan"),
    "hs": _digits(2, 10),
    "fx_min": st.text(alphabet=DIGITS + "٬,.٫", min_size=1, max_size=20),
    "fx_max": st.text(alphabet=DIGITS + "٬,.٫", min_size=1, max_size=20),
    "status": st.sampled_from(["on_display", "in_talks", "contracted"]),
    "sort": st.sampled_from(["-fx", "fx", "newest", "title"]),
    "page": st.one_of(_digits(1, 3), st.sampled_from(["last", "0", "-1", "99999999999999999999"])),
    "page_size": st.one_of(_digits(1, 4), st.just("-5")),
    "date_from": _date,
    "date_to": _date,
    "past": st.sampled_from(["true", "1", "on", "false"]),
    "format": st.sampled_from(["json", "api", "yaml", "xml"]),
    "lang": st.sampled_from(["en", "fa", "xx"]),
}


@st.composite
def pairs(draw) -> tuple[str, str]:
    kind = draw(st.sampled_from(["real", "real", "real", "real", "junk key", "random key"]))
    if kind == "real":
        key = draw(st.sampled_from(REAL_KEYS))
        value = draw(st.one_of(VALID_VALUES[key], VALID_VALUES[key], junk_values))
    elif kind == "junk key":
        key, value = draw(st.sampled_from(JUNK_KEYS)), draw(junk_values)
    else:
        key, value = draw(st.text(max_size=12)), draw(junk_values)
    return key, value


@st.composite
def query_strings(draw) -> str:
    """A raw query string, as it would arrive in QUERY_STRING (bytes read as latin-1):
    properly encoded pairs, raw percent junk, repeated keys and bare separators mixed."""
    parts: list[bytes] = []
    for _ in range(draw(st.integers(min_value=0, max_value=5))):
        key, value = draw(pairs())
        style = draw(st.sampled_from(["encoded", "encoded", "quoted", "raw", "junk", "bare"]))
        if style == "encoded":
            part = f"{quote_plus(key)}={quote_plus(value)}".encode()
        elif style == "quoted":
            part = f"{quote(key, safe='')}={quote(value, safe='')}".encode()
        elif style == "raw":  # unescaped UTF-8, as some clients send it
            part = key.encode("utf-8", "surrogatepass") + b"=" + value.encode("utf-8", "surrogatepass")
        elif style == "junk":
            part = f"{quote_plus(key)}={draw(st.sampled_from(PERCENT_JUNK))}{quote_plus(value[:20])}".encode()
        else:
            part = quote_plus(key).encode()
        parts.append(part)
    separator = draw(st.sampled_from([b"&", b"&", b"&&", b";"]))
    return separator.join(parts).decode("latin-1")


@pytest.fixture
def fuzz_world(settings):
    """A few needs (one anonymous, with Persian titles), suppliers and a tour; API budgets
    raised so the fuzzing measures the filters, not the throttle."""
    from django.core.cache import cache

    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1000000/min", "user": "1000000/min"},
    }
    isfahan = ExhibitionFactory(province=province("isfahan"), slug="isfahan")
    shelf = ShelfFactory(exhibition=isfahan, positions=50)
    for n, (title, code) in enumerate([("لنت ترمز", "870830"), ("نخ پلی‌استر", "540233"), ("کیسه پلاستیکی", "392321")]):
        displayed_need(
            buyer=CompanyFactory(province=province("isfahan")), shelf=shelf, title=title, hs_code=code,
            sector=sector(["auto-parts", "textile", "chemical"][n]), is_anonymous=n == 1,
        )
    displayed_need()  # Qom
    for slug in ("isfahan", "tehran"):
        SupplierFactory(province=province(slug)).sectors.add(sector("metal"))
    tour = TourFactory(exhibition=isfahan)
    tour.sectors.add(sector("auto-parts"))
    TourRegistration.objects.create(tour=tour, company=SupplierFactory(), attendees=2)
    yield
    cache.clear()


def test_no_query_string_makes_a_server_error(client, fuzz_world):
    run: dict[str, int] = {}
    answers: dict[str, dict[int, int]] = {}
    seconds: dict[str, float] = {}
    started = time.monotonic()
    for path in ENDPOINTS:
        statuses: list[int] = []
        path_started = time.monotonic()

        @hypothesis_settings(
            max_examples=EXAMPLES_PER_ENDPOINT, deadline=None, database=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )
        @given(query=query_strings())
        def request_survives(query):
            response = client.get(path, QUERY_STRING=query)
            statuses.append(response.status_code)
            assert response.status_code < 500, f"{path}?{query!r} -> {response.status_code}"

        request_survives()
        run[path] = len(statuses)
        answers[path] = dict(sorted(Counter(statuses).items()))
        seconds[path] = round(time.monotonic() - path_started, 1)
        assert 200 in statuses  # the runs reached real pages, not only error answers
    total = sum(run.values())
    print(
        f"\nfuzz: {total} query strings, no 5xx, {time.monotonic() - started:.1f} s; "
        f"examples {run}; seconds {seconds}; status codes {answers}"
    )
    assert total >= MIN_TOTAL
