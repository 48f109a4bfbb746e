"""The unread count in the header: asked only when a page shows it, and only for a
signed-in user (a visitor's page, which core.public_cache may keep, never carries one)."""

from django.utils.functional import cached_property

from notices.selectors import unread_count


class _Unread:
    def __init__(self, user):
        self.user = user

    @cached_property
    def count(self) -> int:
        return unread_count(user=self.user)


def unread_notifications(request) -> dict:
    """`unread_notifications.count` for a signed-in user (one query, the first time a page
    asks); nothing for a visitor."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": _Unread(user)}
