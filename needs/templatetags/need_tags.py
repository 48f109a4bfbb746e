"""How a need is shown: its buyer as the viewer may see it, its photo and its shelf place."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.formats import digits

register = template.Library()


@register.simple_tag
def buyer_label(need, user=None):
    """The buyer as `user` may see it, as the need decides (Need.buyer_label_for); without a
    user, as the public sees it. Cached public pages never pass a user."""
    return need.buyer_label_for(user)


# --- pages: photos, places, language switch ----------------------------------------------
@register.filter
def primary_photo(need):
    """The photo a card shows: the primary one, else the first (photos are prefetched,
    primary first, so this costs no query)."""
    photos = list(need.photos.all())
    return photos[0] if photos else None


@register.filter
def thumb_url(photo):
    if not photo:
        return ""
    return photo.thumbnail.url if photo.thumbnail else photo.image.url


# --- the shelf place: one format everywhere, the one printed on the shelf label --------------
# The code stays as painted on the shelf: Latin letters and digits, isolated left to right so
# Persian text around it does not reorder it, and marked `latin` so the Persian-digits pass
# (core.digits) leaves it alone; the place is in the reader's digits.
SHELF_CODE = '<bdi class="latin shelf-code" dir="ltr" translate="no">{}</bdi>'


def _shelf_place(need, code) -> str:
    if not need.shelf_id:
        return ""
    return _("Shelf %(shelf)s, place %(place)s") % {"shelf": code, "place": digits(need.shelf_position)}


@register.simple_tag
def shelf_place(need):
    """Where the sample sits, as the label says: "Shelf A-07, place 4" ("قفسه A-07، جایگاه ۴")."""
    return mark_safe(_shelf_place(need, shelf_code(need.shelf.code) if need.shelf_id else ""))


def shelf_place_text(need) -> str:
    """The same in plain text (the admin's lists, mail)."""
    return _shelf_place(need, need.shelf.code if need.shelf_id else "")


@register.filter
def shelf_code(code):
    return format_html(SHELF_CODE, code) if code else ""
