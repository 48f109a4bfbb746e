"""Persian alphabetical order (core.collation) on the database in use and in Python.

The same tests run on SQLite, where fa_persian is core.collation.compare, and on PostgreSQL,
where it is the ICU collation of the Persian locale: both must give the order a Persian
reader expects, and the PostgreSQL-only test checks that the two agree with each other."""

import random

import pytest
from django.db import connection

from core.collation import COLLATION, sort_key

pytestmark = pytest.mark.django_db

ALPHABET = list("آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی")
TOWNS = ["پارس", "چابهار", "ژیان", "کرمان", "گرگان", "ورامین"]  # code point order puts ورامین first


def shuffled(words: list[str], seed: int = 11) -> list[str]:
    words = list(words)
    random.Random(seed).shuffle(words)
    return words


def ordered_by_the_database(words: list[str]) -> list[str]:
    """The words as the database orders them with the fa_persian collation."""
    rows = ", ".join(["(CAST(%s AS TEXT))"] * len(words))
    sql = f"WITH words(word) AS (VALUES {rows}) SELECT word FROM words ORDER BY word COLLATE {connection.ops.quote_name(COLLATION)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, words)
        return [word for (word,) in cursor.fetchall()]


@pytest.fixture(params=["database", "python"])
def persian_sort(request):
    """Sorts a list in Persian order: by the database's collation, or by core.collation.sort_key
    (which the Python side of the pages uses)."""
    if request.param == "database":
        return ordered_by_the_database
    return lambda words: sorted(words, key=sort_key)


def test_towns_with_persian_letters_come_before_varamin(persian_sort):
    assert persian_sort(list(reversed(TOWNS))) == TOWNS


def test_the_whole_alphabet_is_in_persian_order(persian_sort):
    assert persian_sort(shuffled(ALPHABET)) == ALPHABET
    words = [letter + "ر" for letter in ALPHABET]  # letters inside words, not only alone
    assert persian_sort(shuffled(words)) == words


def test_alef_with_madda_comes_before_alef_and_a_short_word_before_its_longer_ones(persian_sort):
    words = ["آب", "آب گرم", "آباد", "آبادان", "اب", "ابزار", "بابل"]
    assert persian_sort(shuffled(words)) == words


def test_arabic_spellings_sort_with_their_persian_letter_right_after_it(persian_sort):
    words = ["کرج", "كرج", "کرمان", "یاسوج", "ياسوج", "یزد"]
    assert persian_sort(shuffled(words)) == words


def test_zwnj_and_diacritics_only_decide_between_otherwise_equal_words(persian_sort):
    # "می‌خواهم" with a ZWNJ sorts with "میخواهم", not after every word in میخ...;
    # of two such words the one of lower code points comes first, so the order is total.
    words = ["میخ", "میخواهم", "می\u200cخواهم", "میخی", "مَی", "میز"]
    ordered = persian_sort(shuffled(words))
    assert ordered.index("میخواهم") + 1 == ordered.index("می\u200cخواهم")
    assert ordered.index("میخ") < ordered.index("میخواهم") < ordered.index("میخی") < ordered.index("میز")
    assert persian_sort(shuffled(["مَی", "می", "میز"])) == ["می", "مَی", "میز"]


def test_digits_come_first_and_latin_letters_last_without_regard_to_case(persian_sort):
    words = ["۱۲ فروردین", "2 بهمن", "آبادان", "یزد", "abc", "Bandar", "zed"]
    assert persian_sort(shuffled(words)) == words


@pytest.mark.postgres
def test_python_sort_key_agrees_with_postgresqls_icu_collation():
    """Pages that sort in Python (core.collation.sort_key) and SQLite (which uses it) give
    the order PostgreSQL gives: random words from Persian letters, their Arabic spellings,
    ZWNJ, tatweel, diacritics, digits, spaces, punctuation and Latin letters."""
    rng = random.Random(7)
    pool = ALPHABET * 3 + list("ٱأإؤئكىيةۀ") + [
        "\u200c", "\u0640", " ", "\u00a0", "-", "(", ".", "،", "«", "۱", "1", "٢", "a", "B", "é",
        "\u064e", "\u0650", "\u0651", "\u0654",
    ]
    words = sorted({"".join(rng.choice(pool) for _ in range(rng.randint(1, 6))) for _ in range(3000)})
    assert ordered_by_the_database(words) == sorted(words, key=sort_key)
