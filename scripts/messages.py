"""Maintain the Persian catalogues: one per app (<app>/locale/fa/LC_MESSAGES/django.po).

    python scripts/messages.py            # extract with makemessages, dedupe, compile
    python scripts/messages.py --check    # fail if a msgid is in two catalogues or untranslated

Each app's strings are extracted from its own folder. A msgid that several apps use is kept
only in the catalogue of the lowest app that uses it (the layer order of
docs/architecture.md), so every string has one translation in one place; Django merges the
catalogues at run time. Needs GNU gettext (xgettext, msgmerge, msgfmt) and polib."""

import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
# Lowest layer first: a shared msgid stays in the first app of this list that uses it.
APPS = ["core", "accounts", "exhibitions", "notices", "companies", "needs", "tours", "alerts", "matchmaking", "conversations", "reports", "portal", "demo"]
LANGUAGE = "fa"


def catalogue(app: str) -> Path:
    return ROOT / app / "locale" / LANGUAGE / "LC_MESSAGES" / "django.po"


def extract() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings", "PYTHONPATH": str(ROOT)}
    django_admin = Path(sys.executable).with_name("django-admin")
    for app in APPS:
        (ROOT / app / "locale").mkdir(exist_ok=True)
        subprocess.run(
            [str(django_admin), "makemessages", "-l", LANGUAGE, "-e", "html,txt,py", "--no-obsolete",
             "--add-location", "file", "-i", "locale/*", "-i", "migrations/*"],
            cwd=ROOT / app, env=env, check=True, stdout=subprocess.DEVNULL,
        )


def key(entry: polib.POEntry) -> tuple:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def dedupe() -> None:
    """Keep each msgid in the lowest app that uses it; carry a translation made in a higher
    app's catalogue down with it."""
    files = {app: polib.pofile(str(catalogue(app))) for app in APPS if catalogue(app).exists()}
    owner: dict[tuple, polib.POEntry] = {}
    for app, po in files.items():
        for entry in list(po):
            if entry.obsolete:
                continue
            first = owner.get(key(entry))
            if first is None:
                owner[key(entry)] = entry
                continue
            if entry.translated() and not first.translated():
                first.msgstr, first.msgstr_plural = entry.msgstr, dict(entry.msgstr_plural)
            first.occurrences += entry.occurrences
            po.remove(entry)
    for app, po in files.items():
        po.save()


def compile_all() -> None:
    for app in APPS:
        po = catalogue(app)
        if po.exists():
            subprocess.run(["msgfmt", "--check", "-o", str(po.with_suffix(".mo")), str(po)], check=True)


def check() -> int:
    """Problems: a msgid in two catalogues, or an entry left untranslated or fuzzy."""
    seen: dict[tuple, str] = {}
    problems = []
    for app in APPS:
        if not catalogue(app).exists():
            continue
        for entry in polib.pofile(str(catalogue(app))):
            if entry.obsolete:
                continue
            if key(entry) in seen:
                problems.append(f"{entry.msgid!r} in {seen[key(entry)]} and {app}")
            seen[key(entry)] = app
            if not entry.translated():
                problems.append(f"{app}: untranslated {entry.msgid!r}")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    if "--check" in sys.argv:
        sys.exit(check())
    extract()
    dedupe()
    compile_all()
    sys.exit(check())
