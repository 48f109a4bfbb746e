"""Persian alphabetical order, the same on PostgreSQL, on SQLite and in Python.

Both databases compare text by code point by default, which puts پ چ ژ ک گ (added to the
Arabic alphabet, so encoded after it) behind و and ه: "ورامین" before "پارس". Every ordering
of a name or a title that users see goes through `persian(field)`, a COLLATE with one name,
"fa_persian", that exists on both databases:

- PostgreSQL: an ICU collation for the Persian locale (CLDR's Persian rules), created by
  core/migrations/0001_persian_collation.py.
- SQLite: `compare`, registered on every connection (core.apps.CoreConfig.ready), built
  from `sort_key` below, which follows ICU's Persian rules so that a page is in the same
  order on both databases (tests/core/test_collation.py compares the two).

The order, as ICU's Persian collation has it: spaces, punctuation and symbols, digits (Latin,
Persian and Arabic-Indic digits alike), then the Persian alphabet
آ ا ء ب پ ت ث ج چ ح خ د ذ ر ز ژ س ش ص ض ط ظ ع غ ف ق ک گ ل م ن و ه ی, then other letters
(Latin without regard to case). Arabic spellings are variants of their Persian letter
(ي and ى of ی, ك of ک, ة and ۀ of ه, أ إ ؤ ئ of ء, ٱ of ا); diacritics and variants decide
only between otherwise equal texts, and ZWNJ, ZWJ and tatweel are ignored. Texts still equal
after that are ordered by code point, so the order is total (as PostgreSQL's deterministic
collations break ties)."""

import functools
import re
import unicodedata

from django.db.models import F
from django.db.models.functions import Collate
from django.utils.translation import get_language

COLLATION = "fa_persian"

# The Persian alphabet, with ICU's ء (a letter of its own, after ا) among the letters.
ALPHABET = "آاءبپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
# Other spellings of a letter, in ICU's order: they sort with the letter and after it.
VARIANTS = {
    "ا": "ٱ",
    "ء": "أإؤئ",
    "ک": "ڪك",
    "ه": "ہةۃۀھ",
    "ی": "ىےيې",
}
# Arabic diacritics in ICU's secondary order; other combining marks follow by code point.
DIACRITICS = "\u064e\u0650\u064f\u064b\u064d\u064c\u0651\u0652\u0653\u0654\u0655\u0670"
# Persian yeh and alef maksura with hamza above (other marks between) are ئ to ICU, as Arabic
# yeh with hamza above is by Unicode's composition.
_YEH_WITH_HAMZA = re.compile("[\u06cc\u0649]([\u064b-\u0653\u0655-\u065f\u0670]*)\u0654")
# Punctuation and symbols in ICU's order (the root collation's); others follow by code point.
SYMBOLS = "_-\u2013\u2014,\u060c\u066b\u066c;\u061b:!?\u061f.\u2026\u00b7'\u2018\u2019\"\u201c\u201d\u00ab\u00bb()[]{}@*/\\&#%\u066a`^+\u00f7\u00d7<=>|~$"
IGNORED = {"\u0640"}  # tatweel; and every format character (ZWNJ, ZWJ, marks of direction)

_LETTERS = {letter: (rank, 0) for rank, letter in enumerate(ALPHABET)}
_LETTERS.update(
    {variant: (_LETTERS[letter][0], k) for letter, variants in VARIANTS.items() for k, variant in enumerate(variants, 1)}
)

# Primary classes, in the order ICU's Persian collation puts them.
_SPACE, _SYMBOL, _DIGIT, _PERSIAN, _ARABIC, _LATIN, _OTHER = range(7)


def _weights(ch: str) -> tuple | None:
    """(primary, secondary, tertiary) of one character that is neither a combining mark nor
    ignored."""
    if ch in _LETTERS:
        rank, variant = _LETTERS[ch]
        return (_PERSIAN, rank), variant, 0
    if ch.isspace():
        return (_SPACE, ord(ch)), 0, 0  # tab, new line ... before the space, as in ICU
    category = unicodedata.category(ch)
    if category == "Nd":
        return (_DIGIT, unicodedata.digit(ch)), 0, 0
    if ch.isalpha():
        name = unicodedata.name(ch, "")
        if name.startswith("ARABIC"):
            return (_ARABIC, ord(ch)), 0, 0
        return (_LATIN if name.startswith("LATIN") else _OTHER, ord(ch.lower())), 0, int(ch.isupper())
    position = SYMBOLS.find(ch)
    return (_SYMBOL, position if position >= 0 else len(SYMBOLS) + ord(ch)), 0, 0


def _mark(ch: str) -> int:
    position = DIACRITICS.find(ch)
    return 100 + position if position >= 0 else 200 + ord(ch)


def _characters(text: str):
    """Each character to weigh, with 1 when it stood in a compatibility form.

    NFC makes ا + ◌ٓ the single آ; a compatibility form (a presentation form of a letter, a
    no-break space) weighs as its letter and differs only at the tertiary level; a character
    outside the Persian table is taken apart (é → e + ◌́) so that its accent weighs apart."""
    text = _YEH_WITH_HAMZA.sub("\u0626\\1", unicodedata.normalize("NFC", text))
    for original in text:
        compatible = unicodedata.normalize("NFKC", original)
        variant_form = int(compatible != original)
        for composed in compatible:
            for ch in composed if composed in _LETTERS else unicodedata.normalize("NFD", composed):
                yield ch, variant_form


@functools.lru_cache(maxsize=8192)
def sort_key(text: str) -> tuple:
    """The key that sorts texts in Persian order: letters first, then their variants and
    diacritics, then case and compatibility forms, then code points (only identical texts
    are equal)."""
    primary, secondary, tertiary = [], [], []
    for ch, variant_form in _characters(text):
        if ch in IGNORED or unicodedata.category(ch) == "Cf":
            continue
        if unicodedata.category(ch) in ("Mn", "Me"):
            secondary.append(_mark(ch))
            continue
        p, s, t = _weights(ch)
        primary.append(p)
        secondary.append(s)
        tertiary.append(t + variant_form)
    return tuple(primary), tuple(secondary), tuple(tertiary), text


def compare(a: str, b: str) -> int:
    """The SQLite collation function: negative, zero or positive, like strcmp."""
    key_a, key_b = sort_key(a), sort_key(b)
    return (key_a > key_b) - (key_a < key_b)


def persian(field: str) -> Collate:
    """`field` compared in Persian order: persian("name_fa"), persian("province__name_fa"),
    .desc() for Z to A. For order_by(), Meta.ordering and indexes."""
    return Collate(F(field), COLLATION)


def by_name(field: str, language: str | None = None) -> Collate | F:
    """The order of a bilingual name as the reader sees it: `<field>_fa` in Persian order on
    Persian pages, `<field>_en` on English ones. by_name("name"), by_name("province__name")."""
    if (language or get_language() or "fa").startswith("fa"):
        return persian(f"{field}_fa")
    return F(f"{field}_en")


def register_sqlite_collation(sender, connection, **kwargs):
    """connection_created receiver: give every SQLite connection the fa_persian collation."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(COLLATION, compare)
