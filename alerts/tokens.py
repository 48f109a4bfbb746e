"""The one-click unsubscribe link of a digest: a signed token naming the reader and the
searches it stops, so it works without signing in (and cannot be forged or altered)."""

from django.core import signing
from django.urls import reverse

from core.mail import absolute_url

SALT = "alerts.unsubscribe"


def unsubscribe_token(user_id: int, search_ids) -> str:
    return signing.dumps({"u": user_id, "s": sorted(search_ids)}, salt=SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, list[int]]:
    """(user id, search ids); signing.BadSignature for anything not made here."""
    data = signing.loads(token, salt=SALT)
    try:
        return int(data["u"]), [int(pk) for pk in data["s"]]
    except (KeyError, TypeError, ValueError):
        raise signing.BadSignature("malformed unsubscribe token") from None


def unsubscribe_url(user_id: int, search_ids) -> str:
    """The absolute link (in the active language's URL)."""
    return absolute_url(reverse("alerts:unsubscribe", args=[unsubscribe_token(user_id, search_ids)]))
