"""Who serves where: the one definition of "national staff" and "a staff user's provinces".

Every layer asks these functions: the admin's scoping mixin, the site's policies (who may
mediate a declaration, manage a tour, approve a company's members), selectors that list a
staff member's queue. Results are cached on the user object for the request."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

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


def staff_serving(province_id: int | None) -> QuerySet:
    """The staff assigned to the province `province_id`, who mediate for its anonymous
    buyers: active users who are still staff (an assignment left behind when someone stopped
    being staff does not count), exactly those `staff_serves` says serve it by assignment.
    National staff are not listed: they serve every province without being assigned to one,
    and are not told about each province's daily business."""
    if province_id is None:
        return get_user_model().objects.none()
    # One StaffProvince row per user and province (a unique constraint): no duplicates.
    return get_user_model().objects.filter(is_active=True, is_staff=True, staff_provinces__province_id=province_id)


def staff_colleagues(user) -> QuerySet:
    """Whom provincial staff may pick as a tour's organiser or a need's "entered by": the
    staff serving any of their provinces (by the same rule as staff_serving), and themselves."""
    users = get_user_model().objects
    colleagues = users.filter(is_active=True, is_staff=True, staff_provinces__province_id__in=staff_province_ids(user))
    return users.filter(Q(pk=user.pk) | Q(pk__in=colleagues.values("pk")))


def scope_to_staff(queryset: QuerySet, user, path: str | None) -> QuerySet:
    """`queryset` limited to the provinces `user` serves, following the ORM `path` from the
    model to its province ("province", "exhibition__province", "need__province", "pk" for
    Province itself); unchanged for national staff or for data without a province (None)."""
    if path is None or is_national_staff(user):
        return queryset
    return queryset.filter(**{f"{path}__in": staff_province_ids(user)})
