"""The Persian catalogues: one per app, no msgid translated twice, none left out, and the
committed .mo files say what the .po files say (scripts/messages.py maintains them)."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGUES = sorted(Path(settings.BASE_DIR).glob("*/locale/fa/LC_MESSAGES/django.po"))


def _key(entry) -> tuple:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def test_every_app_with_strings_has_its_own_catalogue_and_there_is_no_other():
    apps = {path.parts[-5] for path in CATALOGUES}
    assert {"core", "accounts", "exhibitions", "companies", "needs", "tours", "matchmaking", "portal"} <= apps
    assert not (Path(settings.BASE_DIR) / "locale_parts").exists()
    assert not getattr(settings, "LOCALE_PATHS", [])


def test_no_msgid_is_in_two_catalogues():
    owners: dict[tuple, str] = {}
    twice = []
    for path in CATALOGUES:
        app = path.parts[-5]
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            if _key(entry) in owners:
                twice.append(f"{entry.msgid!r}: {owners[_key(entry)]} and {app}")
            owners[_key(entry)] = app
    assert twice == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_every_string_is_translated_and_compiled(path):
    po = polib.pofile(str(path))
    untranslated = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert untranslated == []
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, dict(e.msgstr_plural)) for e in polib.mofile(str(path.with_suffix(".mo")))}
    source = {(e.msgctxt, e.msgid): (e.msgstr, {int(k): v for k, v in e.msgstr_plural.items()})
              for e in po if not e.obsolete}
    stale = [msgid for key, value in source.items() if compiled.get(key, (None, None))[0] != value[0]
             for msgid in [key[1]] if not value[1]]
    assert stale == [], "run `make messages`: the .mo is older than its .po"
