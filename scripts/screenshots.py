#!/usr/bin/env python
"""Screenshots of every public and account page (the list in tests/browser/site_pages.py), in
Persian and English at 390 px and 1280 px, taken in headless Chromium from a running server
and saved as docs/screenshots/<page>-<lang>-<width>.png, with docs/screenshots/README.md
listing them. Run it after changing how a page looks, and look at the pictures.

    export DATABASE_URL=sqlite:///var/screens.sqlite3   # the server's database
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_demo
    .venv/bin/python manage.py runserver 127.0.0.1:8390 &
    .venv/bin/python scripts/screenshots.py --base http://127.0.0.1:8390

The script reads the server's database (the same DATABASE_URL) to find the pages' objects and
signs in the personas of site_pages.prepare(), adding their `a11y-*` accounts if missing, so
point it at a demo database, never at production. Each picture is the top of the page (two
screens at most), at 1x, in 64 colours, to keep the folder small."""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
SCREEN_HEIGHT = {390: 844, 1280: 900}
MAX_SCREENS = 2


def shoot(browser, path: Path, width: int) -> None:
    from PIL import Image

    raw = path.with_suffix(".raw.png")
    browser.screenshot(str(raw))
    with Image.open(raw) as image:
        image = image.crop((0, 0, min(image.width, width), min(image.height, SCREEN_HEIGHT[width] * MAX_SCREENS)))
        image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    raw.unlink()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8390", help="the running server")
    parser.add_argument("--only", nargs="*", default=[], help="page names to take (default: all)")
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from tests.browser.chromium import Browser
    from tests.browser.site_pages import (
        LANGUAGES,
        WIDTHS,
        open_page,
        prepare,
        session_cookie,
    )

    site = prepare()
    sessions = {who: session_cookie(user) for who, user in site.users.items()}
    pages = [p for p in site.pages if p.group != "admin" and (not args.only or p.name in args.only)]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    taken = []
    with Browser(width=1280, height=900) as browser:
        for page in pages:
            for lang in LANGUAGES:
                for width in WIDTHS:
                    browser.resize(width, SCREEN_HEIGHT[width])
                    open_page(browser, args.base.rstrip("/"), page, lang, sessions)
                    # Lazy images below the fold load before the picture is taken.
                    browser.js("document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')")
                    browser.js("Promise.all([...document.images].map(i => i.complete ? 0 : new Promise(r => { i.onload = i.onerror = r; })))")
                    browser.js("document.fonts.ready.then(() => window.scrollTo(0, 0))")
                    name = f"{page.name}-{lang}-{width}.png"
                    shoot(browser, out / name, width)
                    taken.append((page, lang, width, name))
                    print(name, flush=True)
    if not args.only:
        lines = [
            "# Screenshots",
            "",
            "Every public and account page in Persian and English, on a 390 px phone and a 1280 px",
            "desktop (the top two screens of each), made by `scripts/screenshots.py` from the demo data.",
            "",
            "| page | fa 390 | fa 1280 | en 390 | en 1280 |",
            "|---|---|---|---|---|",
        ]
        for page in pages:
            cells = [f"[{lang} {width}]({page.name}-{lang}-{width}.png)" for lang in LANGUAGES for width in WIDTHS]
            lines.append(f"| {page.name} (`{page.path}`) | " + " | ".join(cells) + " |")
        (out / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
