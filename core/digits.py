"""Persian digits in everything a Persian reader sees: pages, the admin, mail and calendar files.

Numbers reach a page from many places the project does not word itself: Django's own help
texts ("150 characters or fewer"), the admin (counts, pages, dates), third-party apps, and
stored text (a need titled "نگین 7"). Rather than a filter on each of them, a Persian
page is rewritten once on its way out (`PersianDigitsMiddleware`); the stored data keep
their digits. Mail and calendar texts go through `persian_digits_in_text` where they are
composed (core.mail, core.ics).

What a reader does not read, or must copy exactly, keeps its Latin digits: markup (links,
ids, classes, data-*), scripts, styles, `pre`/`code`/`kbd`/`samp`, typed text (`textarea`,
input values), URLs and e-mail addresses in text, character references, codes written
with Latin letters (the shelf code A-07, ISO-9001), and whatever a template marks as Latin:
`class="latin"`, `translate="no"`, or text in another language (`lang="en"`). `dir="ltr"`
alone is no mark: phone numbers and HS codes are set left-to-right and still read in
Persian digits.

The HTML pass is a scan with regular expressions, not a parser: it stops only at text with a
digit, at start tags with attributes and at blocks kept whole, so the catalogue page (24 KiB)
costs about a millisecond, an admin list of 50 needs (65 KiB) about three. The public page
cache keeps pages converted (core.public_cache). Converting twice changes nothing."""

import functools
import re

from core.api import is_api_path
from core.i18n import is_persian
from core.text import to_persian_digits

# --- plain text -----------------------------------------------------------------------------
# Tried left to right at each place: what is kept whole, then a run of Latin letters and
# digits, rewritten only when it has no letter (a code such as A-07 has one).
_TEXT = re.compile(
    r"(?P<keep>(?:https?|ftp)://[^\s<>\"']+|(?:mailto:|www\.)[^\s<>\"']+"  # a URL
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # an e-mail address
    r"|&#[0-9]+;|&#[xX][0-9a-fA-F]+;)"  # a character reference
    r"|[A-Za-z0-9]+(?:[-_./:][A-Za-z0-9]+)*",
    re.ASCII,
)
_LATIN_DIGIT = re.compile(r"[0-9]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")


def _text_piece(match: re.Match) -> str:
    piece = match.group()
    if match.group("keep") or _LATIN_LETTER.search(piece):
        return piece
    return to_persian_digits(piece)


def persian_digits_in_text(text: str) -> str:
    """Text with Persian digits, URLs, e-mail addresses and Latin codes (A-07) aside."""
    if not text or not _LATIN_DIGIT.search(text):
        return text
    return _TEXT.sub(_text_piece, text)


# --- HTML ---------------------------------------------------------------------------------------
# Attributes a reader sees or hears; every other attribute is markup (href, id, class, data-*).
_READ_ATTRIBUTES = frozenset({
    "title", "alt", "placeholder", "label", "aria-label", "aria-description", "aria-valuetext",
    "aria-roledescription", "aria-placeholder",
})
# Elements with no content and no end tag.
_VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
})
# Each match but a text node stops short of its closing ">", where the next search begins: a
# text node is then always found as the ">" before it (a literal the engine looks for fast).
_HTML = re.compile(
    # Kept whole: scripts, styles, typed text and code, comments, the doctype.
    r"(?P<block><(?P<raw>script|style|textarea|pre|code|kbd|samp)\b[^>]*>.*?</(?P=raw)\s*(?=>)"
    r"|<!--.*?--(?=>)|<![^>]*(?=>)|<\?[^>]*(?=>))"
    # A start tag with attributes: a mark, or read attributes to rewrite, are looked for below.
    r"|(?P<tag><(?P<name>[A-Za-z][A-Za-z0-9-]*)(?P<attributes>\s[^>]*)(?=>))"
    # A text node with a Latin digit.
    r"|>(?P<text>[^<0-9]*[0-9][^<]*)",
    re.DOTALL,
)
# Names and marks are matched in lower case, as HTML is written (Django, its admin, our
# templates): case-blind matching would cost most of the time of a page.
_WORTH_A_LOOK = re.compile(r"title|alt|placeholder|label|value|lang|translate|latin")
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'>]+)""")
_LANG = re.compile(r"""(?<![\w-])lang\s*=\s*["']?([^\s"'>]*)""")
_LATIN_MARK = re.compile(
    r"""(?<![\w-])translate\s*=\s*["']?no\b|(?<![\w-])class\s*=\s*["']?[^"'>]*?(?<![\w-])latin(?![\w-])"""
)
_BUTTON = re.compile(r"""(?<![\w-])type\s*=\s*["']?(submit|button|reset)\b""")


def _is_marked_latin(tag: str) -> bool:
    """`class="latin"`, `translate="no"`, or text in a language other than Persian."""
    if _LATIN_MARK.search(tag):
        return True
    lang = _LANG.search(tag)
    return bool(lang and lang.group(1) and not lang.group(1).lower().startswith("fa"))


def _read_attributes(tag: str, name: str) -> str:
    is_button = name == "input" and _BUTTON.search(tag) is not None

    def attribute(match: re.Match) -> str:
        key = match.group(1)
        if key in _READ_ATTRIBUTES or (key == "value" and is_button):
            return match.group(1) + match.group(2) + persian_digits_in_text(match.group(3))
        return match.group()

    head = len(name) + 1
    return tag[:head] + _ATTRIBUTE.sub(attribute, tag[head:])


@functools.cache
def _tags_named(name: str) -> re.Pattern:
    return re.compile(rf"<(/?){re.escape(name)}(?![\w-])[^>]*>")


def _end_of_element(html: str, name: str, pos: int) -> int:
    """Where the element whose start tag ends at `pos` ends (at the ">" of its own end tag,
    however deeply the same element nests inside it); `pos` when it has no end tag."""
    depth = 1
    for match in _tags_named(name).finditer(html, pos):
        if match.group(1):
            depth -= 1
            if depth == 0:
                return match.end() - 1
        elif not match.group().endswith("/>"):
            depth += 1
    return pos


def persian_digits_in_html(html: str) -> str:
    """An HTML page or fragment with Persian digits in its text and read attributes (see the
    module's docstring for what keeps its Latin digits)."""
    if not html or not _LATIN_DIGIT.search(html):
        return html
    parts = []
    done = 0  # html[:done] is in parts; what follows is copied as it is until a change
    skip_to = 0  # the end of an element marked Latin
    for match in _HTML.finditer(html):
        start = match.start()
        if start < skip_to:
            continue
        if match.group("text") is not None:
            parts += (html[done:start], ">", persian_digits_in_text(match.group("text")))
            done = match.end()
            continue
        attributes = match.group("attributes")
        if attributes is None or _WORTH_A_LOOK.search(attributes) is None:
            continue  # a block kept whole, or a tag with nothing to read and no mark
        name = match.group("name")
        if ("lang" in attributes or "translate" in attributes or "latin" in attributes) and _is_marked_latin(attributes):
            if name not in _VOID and not attributes.endswith("/"):
                skip_to = _end_of_element(html, name, match.end())
        elif _LATIN_DIGIT.search(attributes):
            tag = match.group()
            changed = _read_attributes(tag, name)
            if changed != tag:
                parts += (html[done:start], changed)
                done = match.end()
    parts.append(html[done:])
    return "".join(parts)


# --- responses ----------------------------------------------------------------------------------
_DONE = "_persian_digits_done"


def persian_digits_in_response(response) -> None:
    """Give a rendered HTML page Persian digits when the active language is Persian; once
    only (the public page cache stores the page converted, and the middleware then leaves
    it alone)."""
    if getattr(response, _DONE, False) or not is_persian():
        return
    setattr(response, _DONE, True)
    if (
        response.streaming
        or not response.get("Content-Type", "").startswith("text/html")
        or response.has_header("Content-Encoding")
        or response.get("Content-Disposition", "").startswith("attachment")
    ):
        return
    charset = response.charset
    html = response.content.decode(charset)
    converted = persian_digits_in_html(html)
    if converted != html:
        response.content = converted.encode(charset)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))


def mark_persian_digits_done(response) -> None:
    """For a page rebuilt from content already converted (the public page cache)."""
    setattr(response, _DONE, True)


class PersianDigitsMiddleware:
    """Persian digits on every Persian HTML page, the admin's and Django's own included
    (not under /api/, not on downloads). It sits inside LocaleMiddleware, so the page's
    language is active, and inside CommonMiddleware, which sets Content-Length after it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_api_path(request.path_info):
            persian_digits_in_response(response)
        return response
