"""Charts of the statistics, drawn on the server, no script, readable without colour.

Bars are HTML lists (a screen reader reads "Tehran: 159", and they reflow to any width); the
tile map and the rollout line are SVG pictures (`role="img"` with a title) that scale to
their box. None holds a link: a picture is one stop for no one's keyboard, and the figures
as a table (stats.html) link each province and sector to its needs."""

import datetime

import jdatetime
from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.collation import sort_key
from core.formats import JALALI_MONTHS, date, digits, local_name, number, usd
from core.i18n import is_persian

register = template.Library()


# --- charts: server-drawn SVG, no script, readable without colour --------------------------
def _fmt(value, kind):
    return usd(value) if kind == "usd" else number(value)


def _anchor(edge: str) -> str:
    """text-anchor for a text whose visual `edge` ("left" or "right") sits at x. The SVG
    root carries the page's direction, and "start" is the right edge in right-to-left text."""
    if edge == "middle":
        return "middle"
    return ("start" if edge == "left" else "end") if not is_persian() else ("end" if edge == "left" else "start")


def _svg_open(kind: str, width, height, title: str) -> str:
    direction = "rtl" if is_persian() else "ltr"
    return (
        f'<svg class="chart {kind}" viewBox="0 0 {width} {height}" role="img" {_attrs(aria_label=title)} '
        f'xmlns="http://www.w3.org/2000/svg" direction="{direction}"><title>{escape(title)}</title>'
    )


def _attrs(**attrs) -> str:
    return " ".join(f'{key.rstrip("_").replace("_", "-")}="{escape(str(val))}"' for key, val in attrs.items())


@register.simple_tag
def bar_list(rows, value="needs", kind="number", title="", colour_key="", limit=0):
    """Horizontal bars as an ordered list, one item per row (dicts with name_fa/name_en and
    `value`), largest first: the name, the bar (a picture of the share, hidden from screen
    readers) and the figure. Logical sizes, so Persian pages grow the bars to the left."""
    rows = sorted((r for r in rows if r.get(value)), key=lambda r: r[value], reverse=True)
    if limit:
        rows = rows[: int(limit)]
    top = max((float(r[value]) for r in rows), default=0) or 1
    items = []
    for row in rows:
        share = max(0.5, 100 * float(row[value]) / top)
        colour = row.get(colour_key) if colour_key else "#2f7d68"
        items.append(
            f'<li><span class="bar-label">{escape(local_name(row))}</span>'
            f'<span class="bar-track" aria-hidden="true"><span class="bar" style="inline-size: {share:.1f}%; background: {escape(colour)}"></span></span>'
            f'<span class="bar-value">{escape(_fmt(row[value], kind))}</span></li>'
        )
    return mark_safe(f'<ol class="bar-list" {_attrs(aria_label=title)}>{"".join(items)}</ol>')


@register.filter
def by_local_name(rows):
    """Rows (dicts with name_fa/name_en) in the reader's alphabetical order (Persian order on
    Persian pages, core.collation)."""
    if is_persian():
        return sorted(rows, key=lambda r: sort_key(local_name(r) or ""))
    return sorted(rows, key=lambda r: (local_name(r) or "").casefold())


MAP_SHADES = ["#e7efec", "#c5ddd5", "#93c2b2", "#5c9f88", "#2f7d68", "#17574a"]


def _two_lines(name: str) -> list[str]:
    for joiner in (" و ", " and "):
        if joiner in name:
            first, rest = name.split(joiner, 1)
            return [first, joiner.strip() + " " + rest] if is_persian() else [first + " " + joiner.strip(), rest]
    return [name]


@register.simple_tag
def tile_map(rows, value="needs", kind="number", title=""):
    """The 31 provinces as a tile grid (map_col west to east, map_row north to south),
    shaded by `value`; provinces with an open exhibition carry a dot. A picture: its tiles
    are drawn in reading order and hold no link."""
    tile_w, tile_h, gap = 112, 74, 6
    first_col = min((r["map_col"] for r in rows), default=0)
    first_row = min((r["map_row"] for r in rows), default=0)
    cols = max((r["map_col"] for r in rows), default=0) - first_col + 1
    lines = max((r["map_row"] for r in rows), default=0) - first_row + 1
    width, height = cols * (tile_w + gap) - gap, lines * (tile_h + gap) - gap
    top = max((float(r[value]) for r in rows), default=0) or 1
    parts = [_svg_open("tiles", width, height, title)]
    for row in sorted(rows, key=lambda r: (r["map_row"], r["map_col"])):
        # A map keeps west on the left in both languages.
        x, y = (row["map_col"] - first_col) * (tile_w + gap), (row["map_row"] - first_row) * (tile_h + gap)
        amount = float(row[value])
        shade = 0 if amount <= 0 else 1 + min(4, int(4 * amount / top + 0.5))
        fill, ink = MAP_SHADES[shade], "light" if shade >= 4 else "dark"
        name = local_name(row)
        shown = _fmt(row[value], kind)
        tile = [
            (
                f'<rect x="{x}" y="{y}" width="{tile_w}" height="{tile_h}" rx="6" fill="{fill}" class="tile">'
                f"<title>{escape(name)}: {escape(shown)}</title></rect>"
            )
        ]
        name_lines = _two_lines(name)
        first_y = y + (24 if len(name_lines) == 1 else 18)
        for k, line in enumerate(name_lines):
            tile.append(
                f'<text x="{x + tile_w / 2}" y="{first_y + 14 * k}" text-anchor="middle" class="name {ink}">{escape(line)}</text>'
            )
        tile.append(
            f'<text x="{x + tile_w / 2}" y="{y + tile_h - 10}" text-anchor="middle" class="figure {ink}">{escape(shown)}</text>'
        )
        if row.get("exhibition_status") == "open":
            tile.append(f'<circle cx="{x + 10}" cy="{y + 10}" r="4.5" fill="#b7822b" stroke="#fff" stroke-width="1.5"/>')
        parts.append(f'<g class="province" data-province="{escape(row["slug"])}">{"".join(tile)}</g>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


@register.simple_tag
def rollout_chart(rows, title=""):
    """How many provinces had an open exhibition, day by day: a step line from the first
    opening to the last, a dot and a label per opening date."""
    openings = sorted(r["opened_on"] for r in rows if r.get("opened_on") and r.get("exhibition_status") == "open")
    width, height, left, right, top_pad, bottom = 900, 240, 40, 20, 16, 40
    parts = [_svg_open("rollout", width, height, title)]
    if openings:
        start = openings[0] - datetime.timedelta(days=3)
        end = max(openings[-1], start) + datetime.timedelta(days=10)
        span = max(1, (end - start).days)
        count = len(openings)
        plot_w, plot_h = width - left - right, height - top_pad - bottom

        def px(day):
            return left + plot_w * (day - start).days / span

        def py(n):
            return top_pad + plot_h * (1 - n / count)

        for n in sorted({0, count // 2, count}):
            parts.append(
                f'<line x1="{left}" x2="{width - right}" y1="{py(n):.1f}" y2="{py(n):.1f}" class="grid"/>'
                f'<text x="{left - 8}" y="{py(n) + 4:.1f}" text-anchor="{_anchor("right")}" class="axis">{escape(digits(n))}</text>'
            )
        points, n = [f"{px(start):.1f},{py(0):.1f}"], 0
        for day in openings:
            points.append(f"{px(day):.1f},{py(n):.1f}")
            n += 1
            points.append(f"{px(day):.1f},{py(n):.1f}")
        points.append(f"{px(end):.1f},{py(n):.1f}")
        parts.append(f'<polyline points="{" ".join(points)}" class="step" fill="none"/>')
        seen = set()
        for k, day in enumerate(openings, start=1):
            if day in seen:
                continue
            seen.add(day)
            same_day = openings.count(day)
            reached = k + same_day - 1
            parts.append(
                f'<circle cx="{px(day):.1f}" cy="{py(reached):.1f}" r="3.5" class="dot">'
                f"<title>{escape(date(day))}: {escape(digits(reached))}</title></circle>"
            )
        # Month ticks on the axis, in the reader's calendar.
        ticks, day = [], start
        while day <= end:
            if is_persian():
                j = jdatetime.date.fromgregorian(date=day)
                if j.day == 1:
                    ticks.append((day, JALALI_MONTHS[j.month - 1]))
            elif day.day == 1:
                ticks.append((day, day.strftime("%b %Y")))
            day += datetime.timedelta(days=1)
        for day, label in ticks:
            # A label near either end of the axis starts (or ends) at its tick instead of
            # centring on it, so it is not cut off where phones draw the axis larger.
            x = px(day)
            anchor = _anchor("left") if x < left + 60 else _anchor("right") if x > width - right - 60 else "middle"
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top_pad}" y2="{height - bottom}" class="grid"/>'
                f'<text x="{x:.1f}" y="{height - bottom + 18}" text-anchor="{anchor}" class="axis">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))
