"""Printable shelf labels: one per need whose sample is on a shelf of an exhibition, with a
QR code that opens the need's public page on a visitor's phone."""

from __future__ import annotations

from dataclasses import dataclass

import segno
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from exhibitions.models import Exhibition
from needs.models import Need


@dataclass(frozen=True)
class ShelfLabel:
    need: Need
    url: str
    qr_svg: SafeString


def need_public_url(need: Need) -> str:
    """The need's public page (docs/design.md section 4: /needs/<id>/), absolute, so the QR code
    works from any phone. Persian is the default language, so no prefix."""
    return f"{settings.SITE_URL.rstrip('/')}/needs/{need.pk}/"


def qr_svg(url: str) -> SafeString:
    # segno writes the SVG itself (no user text inside but the URL, which it escapes).
    return mark_safe(segno.make(url, error="m").svg_inline(scale=3, omitsize=True, border=2))


def shelf_labels(*, exhibition: Exhibition) -> list[ShelfLabel]:
    """Labels for the needs of `exhibition` the public catalogue shows (Need.objects.public()),
    in shelf and position order: any other need's QR code would open a page not found.
    One query, whatever the number of needs."""
    needs = (
        _on_shelves(exhibition).public()
        .select_related("shelf", "sector", "buyer", "province")
        .order_by("shelf__code", "shelf_position")
    )
    return [ShelfLabel(need, url, qr_svg(url)) for need in needs for url in [need_public_url(need)]]


def needs_without_label(*, exhibition: Exhibition) -> list[Need]:
    """The needs on a shelf of `exhibition` that get no label, because the public catalogue
    does not show them (no display consent, or not on display), in shelf and position order."""
    on_shelves = _on_shelves(exhibition)
    return list(
        on_shelves.exclude(pk__in=on_shelves.public().values("pk"))
        .select_related("shelf")
        .order_by("shelf__code", "shelf_position")
    )


def _on_shelves(exhibition: Exhibition):
    return Need.objects.filter(exhibition=exhibition, shelf__isnull=False)
