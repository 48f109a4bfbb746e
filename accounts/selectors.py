"""The language a user reads the portal's mail and calendar files in: the one home for
reading it (accounts.services.language_set writes it)."""

from django.conf import settings

from accounts.models import UserPreferences


def languages_of(users, *, default: str | None = None) -> dict[int, str]:
    """Each user's language by primary key: the one they chose, else `default` (Persian when
    none is given). One query for any number of users, so a notification to many people
    costs no more than one to a single person."""
    fallback = default or settings.LANGUAGE_CODE
    pks = {user.pk for user in users if user is not None and user.pk is not None}
    chosen = dict(UserPreferences.objects.filter(user_id__in=pks).values_list("user_id", "language")) if pks else {}
    return {pk: chosen.get(pk, fallback) for pk in pks}


def language_of(user, *, default: str | None = None) -> str:
    """`user`'s language (see `languages_of`); `default` (else Persian) for no user at all."""
    if user is None or user.pk is None:
        return default or settings.LANGUAGE_CODE
    return languages_of([user], default=default)[user.pk]
