"""Printable shelf labels: one per need whose sample is on a shelf and which the public
catalogue shows, with a QR code that opens the need's public page on a visitor's phone.

Callers choose which needs (an exhibition's, a shelf's, one need, a selection) by passing a
queryset, already scoped to what the staff member may see; which of them get a label is
decided here only."""

from __future__ import annotations

from dataclasses import dataclass

import segno
from django.conf import settings
from django.db.models import QuerySet
from django.utils.safestring import SafeString, mark_safe

from needs.models import Need

LABEL_ORDER = ("exhibition_id", "shelf__code", "shelf_position", "pk")


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


def labelled(needs: QuerySet[Need]) -> QuerySet[Need]:
    """The needs of `needs` that get a label: on a shelf, and shown by the public catalogue
    (Need.objects.public()); any other need's QR code would open a page not found."""
    return needs.filter(shelf__isnull=False).public()


def has_label(need: Need) -> bool:
    """`labelled` for one loaded need (a list row), without a query."""
    return need.shelf_id is not None and need.is_public


def shelf_labels(*, needs: QuerySet[Need]) -> list[ShelfLabel]:
    """Labels for the needs of `needs` that get one, by exhibition, shelf and position.
    One query, whatever the number of needs."""
    rows = labelled(needs).select_related("shelf", "sector", "buyer", "province").order_by(*LABEL_ORDER)
    return [ShelfLabel(need, url, qr_svg(url)) for need in rows for url in [need_public_url(need)]]


def needs_without_label(*, needs: QuerySet[Need]) -> list[Need]:
    """The needs of `needs` that get no label (not on a shelf, or not shown by the public
    catalogue: no display consent, or not on display), in shelf and position order."""
    return list(
        needs.exclude(pk__in=labelled(needs).values("pk")).select_related("shelf").order_by(*LABEL_ORDER)
    )
