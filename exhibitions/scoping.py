"""Province scoping for the admin: one mechanism for every model that belongs to a province.

Each ModelAdmin declares how its model reaches a Province (`province_path`, an ORM path
such as "province", "exhibition__province" or "need__province"; "pk" for Province itself;
None for national reference data). From that one declaration:

- `get_queryset` keeps only the staff member's provinces. Django's admin loads every single
  object through it, so the change, delete and history pages, search, filters, bulk
  actions, autocomplete (which asks the target admin) and export inherit the scope, and an
  object of another province answers 404 instead of a page saying it exists;
- foreign-key choices are limited the same way, using the *target* model's admin
  declaration, so a form cannot point at another province's exhibition, company or need;
- a saved object whose province is not one of the staff member's is refused with a form
  error (and, on any other path into `save_model`, with PermissionDenied);
- the "provincial staff" group's permissions are derived from the registered admins
  (`provincial_permissions`), so a model added later gets sensible rights automatically.

National staff (superusers, or members of the "national" group) see everything. Models
without a province (Sector, auth users and groups, audit entries, task results) are
national-only, or read-only reference data for provincial staff where they declare it.

This module sits in the lowest app and imports nothing above it: the admins of higher
apps pass their own paths in."""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from exhibitions.models import Province
from exhibitions.selectors import (
    NATIONAL_GROUP,
    is_national_staff,
    scope_to_staff,
    staff_colleagues,
    staff_serves,
)

PROVINCIAL_GROUP = "provincial staff"
SELF = "pk"  # province_path of the Province model itself
ALL_ACTIONS = ("view", "add", "change", "delete")


def province_id_of(obj, path: str | None) -> int | None:
    """Follow `path` on an unsaved or saved object to the id of its province (None if a
    link on the way is not set yet)."""
    if path is None or obj is None:
        return None
    if path == SELF:
        return obj.pk
    *links, last = path.split("__")
    for link in links:
        obj = getattr(obj, link, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


def province_path_for(model, admin_site=None) -> str | None | bool:
    """The declared province path of `model`'s admin; False when the model has no scoped admin."""
    if model is Province:
        return SELF
    model_admin = (admin_site or admin.site)._registry.get(model)
    if isinstance(model_admin, ProvinceScopedMixin):
        return model_admin.province_path
    return False


def limit_related_queryset(queryset, user, admin_site=None):
    """Choices for a foreign key to `queryset.model`, as `user` may see them."""
    if is_national_staff(user):
        return queryset
    model = queryset.model
    if model is get_user_model():
        # Provincial staff never browse the user list: they may pick themselves or a
        # colleague of their own provinces (tour organiser, "entered by").
        return queryset.filter(pk__in=staff_colleagues(user).values("pk"))
    path = province_path_for(model, admin_site)
    if path is False or path is None:
        return queryset  # reference data (sectors) or models outside the scheme
    return scope_to_staff(queryset, user, path)


# --- the admin side ----------------------------------------------------------------------------
class _ScopedFormFieldsMixin:
    """Foreign-key and many-to-many choices limited to the staff member's provinces; shared
    by model admins and inlines."""

    #: Foreign keys whose choices are not limited to the province (e.g. a supplier of any
    #: province may answer a need: docs/design.md section 5).
    unscoped_fk_fields: tuple[str, ...] = ()

    def _limited(self, db_field, request, queryset):
        if db_field.name in self.unscoped_fk_fields:
            return queryset
        return limit_related_queryset(queryset, request.user, self.admin_site)

    def _scoped_choices(self, db_field, request, kwargs) -> dict:
        """The field's choices (as the admin would pick them) limited to the user's provinces."""
        if "queryset" not in kwargs:
            db = kwargs.get("using")
            queryset = self.get_field_queryset(db, db_field, request)
            if queryset is None:
                queryset = db_field.remote_field.model._default_manager.using(db)
            kwargs["queryset"] = queryset
        kwargs["queryset"] = self._limited(db_field, request, kwargs["queryset"])
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **self._scoped_choices(db_field, request, kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(db_field, request, **self._scoped_choices(db_field, request, kwargs))


class ProvinceScopedMixin(_ScopedFormFieldsMixin):
    """Mix into a ModelAdmin (before admin.ModelAdmin) and declare `province_path`."""

    #: ORM path from the model to its Province; SELF for Province; None: no province.
    province_path: str | None = None
    #: What the "provincial staff" group may do with this model (empty: national only).
    provincial_permissions: tuple[str, ...] = ALL_ACTIONS

    # -- rows
    def get_queryset(self, request):
        return scope_to_staff(super().get_queryset(request), request.user, self.province_path)

    def get_unscoped_queryset(self, request):
        """What an autocomplete for a province-free foreign key (`unscoped_fk_fields` of the
        asking admin) may offer: every row by default; CompanyAdmin narrows it to suppliers."""
        return self.model._default_manager.all()

    def _unscoped_autocomplete_source(self, request):
        match = getattr(request, "resolver_match", None)
        if not match or match.url_name != "autocomplete":
            return None
        try:
            source_model = apps.get_model(request.GET["app_label"], request.GET["model_name"])
            source_field = source_model._meta.get_field(request.GET["field_name"])
        except (KeyError, LookupError, Exception):
            return None
        source_admin = self.admin_site._registry.get(source_model)
        if source_field.related_model is self.model and source_field.name in getattr(
            source_admin, "unscoped_fk_fields", ()
        ):
            return source_field
        return None

    def get_search_results(self, request, queryset, search_term):
        source_field = self._unscoped_autocomplete_source(request)
        if source_field is not None:
            queryset = self.get_unscoped_queryset(request).complex_filter(source_field.get_limit_choices_to())
        return super().get_search_results(request, queryset, search_term)

    def _require_in_scope(self, request, object_id):
        # Django checks permissions before it notices a missing object (a POST to a change
        # page, any delete page); answer 404 first, so nothing tells whether it exists.
        from django.contrib.admin.utils import unquote

        if self.get_object(request, unquote(object_id)) is None:
            raise Http404(_("No such object in your provinces."))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._require_in_scope(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Another province's object must look exactly like one that does not exist.
        raise Http404(_("No such object in your provinces."))

    # -- rights
    def _reference_only(self, request) -> bool:
        """Models without a province are changed by national staff only."""
        return self.province_path is None and not is_national_staff(request.user)

    def _object_allowed(self, request, obj) -> bool:
        return obj is None or self.province_path is None or staff_serves(
            request.user, province_id_of(obj, self.province_path)
        )

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._object_allowed(request, obj)

    def has_add_permission(self, request, *args):
        if self._reference_only(request):
            return False
        return super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        if self._reference_only(request):
            return False
        return super().has_change_permission(request, obj) and self._object_allowed(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self._reference_only(request):
            return False
        return super().has_delete_permission(request, obj) and self._object_allowed(request, obj)

    # -- forms
    def get_list_filter(self, request):
        """Related-object filters list only values present in the scoped rows, so a filter
        never shows another province's exhibitions or companies."""
        filters = []
        for item in super().get_list_filter(request):
            if isinstance(item, str) and self._is_relation(item):
                item = (item, admin.RelatedOnlyFieldListFilter)
            filters.append(item)
        return filters

    def _is_relation(self, name: str) -> bool:
        if "__" in name:
            return False
        try:
            field = self.model._meta.get_field(name)
        except Exception:
            return False
        return bool(field.is_relation) and field.related_model is not None

    def get_changeform_initial_data(self, request):
        """When the first link of the province path has a single possible value for this
        staff member (their one province, their one exhibition), choose it for them."""
        initial = super().get_changeform_initial_data(request)
        if self.province_path in (None, SELF) or is_national_staff(request.user):
            return initial
        first = self.province_path.split("__")[0]
        if first in initial:
            return initial
        field = self.model._meta.get_field(first)
        choices = limit_related_queryset(field.related_model._default_manager.all(), request.user, self.admin_site)
        only = list(choices.values_list("pk", flat=True)[:2])
        if len(only) == 1:
            initial[first] = only[0]
        return initial

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return self._guard_form_class(form, request)

    def _guard_form_class(self, form_class, request):
        path, user = self.province_path, request.user
        if path in (None, SELF) or is_national_staff(user):
            return form_class

        class ProvinceGuardedForm(form_class):
            def _post_clean(self):
                super()._post_clean()
                province_id = province_id_of(self.instance, path)
                if province_id is not None and not staff_serves(user, province_id):
                    self.add_error(None, _("You can only save records of your own provinces."))

        ProvinceGuardedForm.__name__ = form_class.__name__
        return ProvinceGuardedForm

    def save_model(self, request, obj, form, change):
        if self.province_path not in (None, SELF) and not staff_serves(
            request.user, province_id_of(obj, self.province_path)
        ):
            raise PermissionDenied
        super().save_model(request, obj, form, change)


class ScopedInlineMixin(_ScopedFormFieldsMixin):
    """For inlines: their rows belong to the (already scoped) parent; their own foreign
    keys are limited like the parent's."""


class ProvinceScopedAdmin(ProvinceScopedMixin, admin.ModelAdmin):
    pass


# --- groups and permissions --------------------------------------------------------------------
def provincial_permission_codes(admin_site=None) -> set[tuple[str, str]]:
    """(app_label, codename) pairs the provincial staff group holds, read from the admins."""
    codes = set()
    for model, model_admin in (admin_site or admin.site)._registry.items():
        if not isinstance(model_admin, ProvinceScopedMixin):
            continue
        for action in model_admin.provincial_permissions:
            codes.add((model._meta.app_label, f"{action}_{model._meta.model_name}"))
    return codes


def sync_staff_groups(admin_site=None) -> tuple[Group, Group]:
    """Create or update the two staff groups: "national" holds every permission,
    "provincial staff" what the registered admins allow provinces. Idempotent."""
    national, _created = Group.objects.get_or_create(name=NATIONAL_GROUP)
    national.permissions.set(Permission.objects.all())
    provincial, _created = Group.objects.get_or_create(name=PROVINCIAL_GROUP)
    wanted = provincial_permission_codes(admin_site)
    q = Q(pk__in=[])
    for app_label, codename in wanted:
        q |= Q(content_type__app_label=app_label, codename=codename)
    provincial.permissions.set(Permission.objects.filter(q))
    return national, provincial


def sync_staff_groups_after_migrate(sender, using="default", **kwargs):
    """post_migrate receiver: once the last app has migrated (so every permission row
    exists), bring the staff groups up to date."""
    last = list(apps.get_app_configs())[-1]
    if sender.label != last.label:
        return
    from django.db import router

    if not router.allow_migrate_model(using, Group):
        return
    sync_staff_groups()
