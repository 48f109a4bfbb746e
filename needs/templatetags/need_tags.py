"""How a need is shown: its buyer as the viewer may see it, its photo and its shelf place."""

from django import template
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


@register.simple_tag
def shelf_place(need):
    """Where the sample sits: "Shelf A-03, position 5". The code stays as painted on the
    shelf (Latin letters and digits, isolated left-to-right so Persian text around it
    does not reorder it); the position is in the reader's digits."""
    if not need.shelf_id:
        return ""
    return _("Shelf %(shelf)s, position %(position)s") % {
        "shelf": shelf_code(need.shelf.code), "position": digits(need.shelf_position),
    }


@register.filter
def shelf_code(code):
    return f"\u2066{code}\u2069" if code else ""
