"""Every page of tests/browser/site_pages.py (the public site, the account pages, the admin's
four main pages), in Persian and English, checked by the programs that read them:

- axe-core (WCAG 2.0/2.1/2.2 A and AA, and best practice) injected into the page in
  headless Chromium, at 390 px and at 1280 px: any critical or serious violation fails;
- the Nu HTML checker (vnu) over the pages' HTML, all pages in one JVM: any error fails;
- on the site's own pages (not the admin's), the project's checks of what axe cannot
  judge (PAGE_CHECKS below): a visible focus
  ring of 3:1 that nothing clips, help and error texts that exist where fields point,
  an error summary and "Error:" title on a failed form, fieldset and legend around groups
  of choices, `lang` on text in the other language, left-to-right e-mail and username
  fields, 44 px navigation targets, phone numbers as tel: links, charts a keyboard passes
  in a few stops, and a first result on the first phone screen.

axe and vnu come from npm (package.json, pinned; `make setup-dev` runs `npm ci` into the git-ignored
node_modules/) and are read from there, never from the network; vnu needs Java 17 or newer.
Without them the tests are skipped, unless REQUIRE_CHROMIUM=1 (CI) says they must run.
Each run leaves its findings in var/a11y/<group>.json."""

import io
import json
import os
import shutil
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from tests.browser.site_pages import (
    LANGUAGES,
    WIDTHS,
    open_page,
    prepare,
    session_cookie,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
REPORTS = ROOT / "var" / "a11y"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
FAILING_IMPACTS = {"critical", "serious"}


def missing_tools() -> list[str]:
    missing = []
    if not AXE.exists() or not VNU.exists():
        missing.append("node_modules/ (run `make setup-dev`, which runs `npm ci`)")
    if shutil.which("java") is None:
        missing.append("Java 17+ for the Nu HTML checker (apt-get install default-jre-headless)")
    return missing


@pytest.fixture
def tools():
    missing = missing_tools()
    if missing:
        message = "the accessibility test needs " + " and ".join(missing)
        if os.environ.get("REQUIRE_CHROMIUM") == "1":
            pytest.fail(message + " (REQUIRE_CHROMIUM=1 says it must run)")
        pytest.skip(message)


@pytest.fixture
def seeded(settings):
    settings.ROOT_URLCONF = "tests.browser.public_urls"
    settings.POST_THROTTLE_RATE = 0  # many form posts from one address, on purpose
    call_command("seed_demo", "--needs", "60", stdout=io.StringIO())
    return prepare()


def axe_violations(browser) -> list[dict]:
    """axe's violations on the page as it is now: one dict per rule, with its nodes."""
    if not browser.js("typeof window.axe === 'object'"):
        browser.js(AXE.read_text())
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    return browser.js(
        f"axe.run(document, {json.dumps(options)}).then(r => r.violations.map(v => ({{"
        " id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: (n.failureSummary || '').slice(0, 300)}))"
        "})))"
    )


# Runs in the page; returns a list of findings (strings). `failed` says whether the page is a
# form sent back with errors.
PAGE_CHECKS = r"""
(failed) => {
  const found = [];
  const lang = document.documentElement.lang;
  const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') +
    (el.getAttribute('href') ? '[href="' + el.getAttribute('href') + '"]' : '');
  const visible = el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !el.closest('[hidden], details:not([open]) > :not(summary)'); };

  // 1. Every id that aria-describedby / aria-labelledby / label[for] names exists.
  for (const el of document.querySelectorAll('[aria-describedby], [aria-labelledby]')) {
    for (const attr of ['aria-describedby', 'aria-labelledby']) {
      for (const id of (el.getAttribute(attr) || '').split(/\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) found.push(`${attr} of ${describe(el)} names #${id}, which is not on the page`);
      }
    }
  }

  // 2. A failed form: "Error:" first in the title, and a summary above the fields that links to them.
  if (failed) {
    const prefix = lang === 'fa' ? 'خطا:' : 'Error:';
    if (!document.title.startsWith(prefix)) found.push(`title "${document.title}" does not start with "${prefix}"`);
    const summary = document.querySelector('.error-summary');
    const invalid = [...document.querySelectorAll('[aria-invalid=true]')];
    if (!summary) found.push('no .error-summary on a form sent back with errors');
    else {
      if (invalid.length && summary.compareDocumentPosition(invalid[0]) & Node.DOCUMENT_POSITION_PRECEDING)
        found.push('the error summary comes after the first invalid field');
      for (const field of invalid) {
        const fieldset = field.closest('fieldset');
        const ids = [field.id, fieldset && fieldset.id, ...[...document.getElementsByName(field.name)].map(i => i.id)].filter(Boolean);
        if (!ids.some(id => summary.querySelector(`a[href="#${CSS.escape(id)}"]`)))
          found.push(`the error summary has no link to ${describe(field)}`);
      }
    }
  }

  // 3. Radio buttons and groups of checkboxes sit in a fieldset with a legend.
  const groups = {};
  for (const input of document.querySelectorAll('input[type=radio], input[type=checkbox]')) {
    (groups[input.name] = groups[input.name] || []).push(input);
  }
  for (const [name, inputs] of Object.entries(groups)) {
    if (inputs[0].type === 'checkbox' && inputs.length < 2) continue;
    const fieldset = inputs[0].closest('fieldset');
    if (!fieldset || !fieldset.querySelector(':scope > legend') || !inputs.every(i => fieldset.contains(i)))
      found.push(`the ${inputs[0].type} group "${name}" is not in a fieldset with a legend`);
  }

  // 4. E-mail, username, password and web-address fields run left to right.
  for (const input of document.querySelectorAll('input[type=email], input[type=url], input[type=password], input[name$=username], input[name$=email]')) {
    if (getComputedStyle(input).direction !== 'ltr') found.push(`${describe(input)} runs right to left`);
  }

  // 5. Text in the other language says so: Persian on English pages carries lang="fa".
  if (lang === 'en') {
    const persian = /[\u0600-\u06ff]/;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    while (walker.nextNode()) {
      const node = walker.currentNode, el = node.parentElement;
      // An <option> cannot hold markup (a Persian name in a list of choices is left as it
      // is), and what someone typed into a field is theirs, in whatever language.
      if (!persian.test(node.data) || seen.has(el) || el.closest('script, style, option, textarea')) continue;
      if (!el.closest('[lang]:not(html)') || !el.closest('[lang]:not(html)').lang.startsWith('fa')) {
        seen.add(el); found.push(`Persian text without lang="fa": ${describe(el)} "${node.data.trim().slice(0, 40)}"`);
      }
    }
    for (const el of document.querySelectorAll('[alt], [title], [aria-label]')) {
      const text = ['alt', 'title', 'aria-label'].map(a => el.getAttribute(a) || '').join(' ');
      const marked = el.closest('[lang]:not(html)');
      if (persian.test(text) && !(marked && marked.lang.startsWith('fa')))
        found.push(`Persian alt/title/label without lang="fa": ${describe(el)} "${text.trim().slice(0, 40)}"`);
    }
  }

  // 6. Navigation targets are at least 44 px tall.
  for (const a of document.querySelectorAll('header.site nav a, header.site a.lang')) {
    if (visible(a) && a.getBoundingClientRect().height < 43.5) found.push(`${describe(a)} is ${a.getBoundingClientRect().height.toFixed(0)} px tall`);
  }

  // 7. Phone numbers are tel: links.
  const phone = /(^|[^\d۰-۹])[0۰][\d۰-۹]{2,3}[-\s]?[\d۰-۹]{7,8}(?![\d۰-۹])/;
  const walker2 = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_TEXT);
  while (walker2.nextNode()) {
    const node = walker2.currentNode;
    if (phone.test(node.data) && !node.parentElement.closest('a[href^="tel:"], input, textarea'))
      found.push(`a phone number that is not a tel: link: "${node.data.trim().slice(0, 30)}" in ${describe(node.parentElement)}`);
  }

  // 8. Charts: no tab stop inside a picture, and a whole chart fits a phone.
  for (const chart of document.querySelectorAll('.chart, [role=img]')) {
    const stops = chart.querySelectorAll('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])').length;
    if (stops) found.push(`${stops} tab stops inside the picture ${describe(chart)}`);
    const box = chart.getBoundingClientRect();
    if (visible(chart) && (box.left < -1 || box.right > innerWidth + 1)) found.push(`${describe(chart)} is cut: ${box.left.toFixed(0)}..${box.right.toFixed(0)} of ${innerWidth} px`);
  }

  // 9. On a phone, the catalogue's first result is on the first screen.
  const firstCard = document.querySelector('.results .card');
  if (firstCard && innerWidth < 600 && firstCard.getBoundingClientRect().top > innerHeight)
    found.push(`the first result starts ${(firstCard.getBoundingClientRect().top / innerHeight).toFixed(2)} screens down`);

  // 10. Keyboard focus shows: an outline of 2 px or more, 3:1 against what is behind it,
  // and no ancestor that clips it.
  const rgb = c => { const m = c.match(/[\d.]+/g) || [0, 0, 0, 0]; return m.map(Number); };
  const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const behind = el => { for (let e = el.parentElement; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor); if (c.length < 4 || c[3] > 0.5) return c; } return [255, 255, 255]; };
  const focusable = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])')]
    .filter(el => visible(el) && !el.disabled);
  const scrollX = window.scrollX, scrollY = window.scrollY;
  for (const el of focusable) {
    el.focus();
    el.scrollIntoView({block: 'nearest', inline: 'nearest'});  // as the browser does on Tab
    if (document.activeElement !== el) continue;
    const s = getComputedStyle(el);
    const width = parseFloat(s.outlineWidth) || 0;
    if (s.outlineStyle === 'none' || width < 2) { found.push(`no focus outline on ${describe(el)}`); continue; }
    const offset = parseFloat(s.outlineOffset) || 0;
    const contrast = ratio(rgb(s.outlineColor), offset >= 0 ? behind(el) : rgb(s.backgroundColor).length === 4 && rgb(s.backgroundColor)[3] === 0 ? behind(el) : rgb(s.backgroundColor));
    if (contrast < 3) found.push(`focus outline of ${describe(el)} is ${contrast.toFixed(2)}:1`);
    const r = el.getBoundingClientRect(), grow = Math.max(0, offset + width) - 0.5;
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      const o = getComputedStyle(e);
      if ([o.overflowX, o.overflowY].some(v => v !== 'visible')) {
        const c = e.getBoundingClientRect();
        if (r.left - grow < c.left || r.right + grow > c.right || r.top - grow < c.top || r.bottom + grow > c.bottom) {
          if (c.width > 0 && !(r.right < c.left || r.left > c.right)) { found.push(`the focus ring of ${describe(el)} is clipped by ${describe(e)}`); break; }
        }
      }
    }
  }
  document.activeElement && document.activeElement.blur && document.activeElement.blur();
  window.scrollTo(scrollX, scrollY);
  return [...new Set(found)];
}
"""


def page_findings(browser, page) -> list[str]:
    return browser.js(f"({PAGE_CHECKS})({json.dumps(page.post is not None)})")


def page_html(page, lang: str, users: dict) -> str:
    """The HTML the server sends for the page (what the Nu checker reads)."""
    client = Client()
    if page.who:
        client.force_login(users[page.who])
    url = page.url("", lang)
    response = client.post(url, page.post) if page.post is not None else client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return response.content.decode()


def vnu_errors(files: dict[str, str]) -> dict[str, list[str]]:
    """The Nu checker's errors for each of `files` (name -> HTML), in one JVM."""
    with tempfile.TemporaryDirectory(prefix="vnu-") as folder:
        paths = []
        for name, html in files.items():
            path = Path(folder) / f"{name}.html"
            path.write_text(html, encoding="utf-8")
            paths.append(str(path))
        result = subprocess.run(
            ["java", "-jar", str(VNU), "--format", "json", "--errors-only", *paths],
            check=False, capture_output=True, text=True, timeout=600,  # exit 1 when it found errors
        )
        report = json.loads(result.stderr or result.stdout)
    errors: dict[str, list[str]] = {name: [] for name in files}
    for message in report["messages"]:
        name = Path(message.get("url", "")).stem
        errors.setdefault(name, []).append(
            f"line {message.get('lastLine')}: {message['message']} [{message.get('extract', '').strip()[:80]}]"
        )
    return errors


def check_group(browser, live_server, site, group: str) -> None:
    pages = [page for page in site.pages if page.group == group]
    sessions = {who: session_cookie(user) for who, user in site.users.items()}
    axe_found: dict[str, list[dict]] = {}
    own_found: dict[str, list[str]] = {}
    html: dict[str, str] = {}
    for page in pages:
        for lang in LANGUAGES:
            browser.resize(WIDTHS[-1], 900)
            open_page(browser, live_server.url, page, lang, sessions)
            for width in reversed(WIDTHS):
                browser.resize(width, 900)
                axe_found[f"{page.name}-{lang}-{width}"] = axe_violations(browser)
                if group != "admin":  # the admin is Django's: axe and the Nu checker judge it
                    own_found[f"{page.name}-{lang}-{width}"] = page_findings(browser, page)
            html[f"{page.name}-{lang}"] = page_html(page, lang, site.users)
    nu_found = vnu_errors(html)

    failing = {
        key: [v for v in found if v["impact"] in FAILING_IMPACTS] for key, found in axe_found.items()
    }
    counts = {
        "axe": {key: dict(Counter(v["impact"] for v in found for _node in v["nodes"])) for key, found in axe_found.items()},
        "vnu": {key: len(errors) for key, errors in nu_found.items()},
        "own": {key: len(found) for key, found in own_found.items()},
    }
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / f"{group}.json").write_text(
        json.dumps({"counts": counts, "axe": axe_found, "vnu": nu_found, "own": own_found}, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    lines = []
    for key, found in failing.items():
        for v in found:
            targets = "; ".join(n["target"] for n in v["nodes"][:4])
            lines.append(f"axe {key}: {v['impact']} {v['id']} x{len(v['nodes'])} ({v['help']}): {targets}")
    for key, errors in nu_found.items():
        lines += [f"vnu {key}: {error}" for error in errors[:6]]
    for key, found in own_found.items():
        lines += [f"page {key}: {finding}" for finding in found[:8]]
    assert not lines, f"{len(lines)} findings (all in var/a11y/{group}.json):\n" + "\n".join(lines)


def test_public_pages_pass_axe_and_the_nu_checker(tools, browser, live_server, seeded):
    check_group(browser, live_server, seeded, "public")


def test_account_pages_pass_axe_and_the_nu_checker(tools, browser, live_server, seeded):
    check_group(browser, live_server, seeded, "account")


def test_admin_pages_pass_axe_and_the_nu_checker(tools, browser, live_server, seeded):
    check_group(browser, live_server, seeded, "admin")
