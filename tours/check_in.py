"""The check-in code of a registration: a signed code (django.core.signing, its own salt)
carrying the registration and its tour, printed as a QR code on the registration's
confirmation. It cannot be guessed or forged, and the code of one registration names no
other (a code altered to point at another registration or tour fails its signature). The
organiser's phone opens it as /tours/check-in/<code>/ (tours.views.registration_check_in)."""

import io

import segno
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from core.mail import absolute_url
from tours.models import Tour, TourRegistration

SALT = "tours.check-in"


def has_check_in_code(registration) -> bool:
    """A registration carries a check-in code while it holds a seat (confirmed) on a tour
    that was not cancelled: the waiting list and cancelled registrations have none."""
    return registration.status == TourRegistration.Status.CONFIRMED and registration.tour.status != Tour.Status.CANCELLED


def check_in_code(registration) -> str:
    """The same code each time (no timestamp): the mail and the tour page print one QR code."""
    return signing.Signer(salt=SALT).sign_object([registration.pk, registration.tour_id])


def read_check_in_code(code: str) -> tuple[int, int] | None:
    """(registration id, tour id) of a genuine code, else None."""
    try:
        registration_id, tour_id = signing.Signer(salt=SALT).unsign_object(code)
        return int(registration_id), int(tour_id)
    except (signing.BadSignature, TypeError, ValueError):
        return None


def check_in_url(registration) -> str:
    """The absolute link the QR code carries (SITE_URL), in the site's default language so
    the same code is printed whichever language the letter is in."""
    with translation.override(settings.LANGUAGE_CODE):
        return absolute_url(reverse("tours:check-in", args=[check_in_code(registration)]))


def qr_svg(url: str) -> SafeString:
    # segno writes the SVG itself; nothing inside but the URL, which it escapes.
    return mark_safe(segno.make(url, error="m").svg_inline(scale=4, omitsize=True, border=3))


def qr_png(url: str) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=8, border=4)
    return out.getvalue()
