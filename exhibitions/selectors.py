"""Who serves where: the one definition of "national staff" and "a staff user's provinces".

Every layer asks these functions: the admin's scoping mixin, the site's policies (who may
mediate a declaration, manage a tour, approve a company's members), selectors that list a
staff member's queue. Results are cached on the user object for the request."""

from django.db.models import QuerySet

from exhibitions.models import StaffProvince

NATIONAL_GROUP = "national"


def is_national_staff(user) -> bool:
    """National staff see and act in every province: active staff users who are
    superusers or members of the "national" group."""
    if not (user is not None and user.is_authenticated and user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_national_staff", None)
    if cached is None:
        cached = user.groups.filter(name=NATIONAL_GROUP).exists()
        user._is_national_staff = cached
    return cached


def staff_province_ids(user) -> frozenset[int]:
    """The provinces a provincial staff member is assigned to (empty for anyone who is not
    active staff). National staff serve every province whatever this returns: ask
    `staff_serves` or `scope_to_staff` rather than reading this set for them."""
    if not (user is not None and user.is_authenticated and user.is_active and user.is_staff):
        return frozenset()
    cached = getattr(user, "_staff_province_ids", None)
    if cached is None:
        cached = frozenset(StaffProvince.objects.filter(user=user).values_list("province_id", flat=True))
        user._staff_province_ids = cached
    return cached


def staff_serves(user, province_id: int | None) -> bool:
    """Whether `user` is staff who may act in the province `province_id`."""
    if is_national_staff(user):
        return True
    return province_id is not None and province_id in staff_province_ids(user)


def scope_to_staff(queryset: QuerySet, user, path: str | None) -> QuerySet:
    """`queryset` limited to the provinces `user` serves, following the ORM `path` from the
    model to its province ("province", "exhibition__province", "need__province", "pk" for
    Province itself); unchanged for national staff or for data without a province (None)."""
    if path is None or is_national_staff(user):
        return queryset
    return queryset.filter(**{f"{path}__in": staff_province_ids(user)})
