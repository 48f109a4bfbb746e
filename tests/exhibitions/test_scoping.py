"""The scoping matrix: every registered ModelAdmin, tried as Qom's provincial staff against
Tehran's objects. Models added later are picked up from the admin registry automatically."""

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.forms.models import model_to_dict
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from exhibitions.models import Province
from exhibitions.scoping import ProvinceScopedMixin, province_id_of, province_path_for
from tests.factories import build_world

pytestmark = pytest.mark.django_db

REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
MODELS = [model for model, _admin in REGISTRY]


def label(model):
    return model._meta.label


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def scoped(model_admin) -> bool:
    return isinstance(model_admin, ProvinceScopedMixin) and model_admin.province_path is not None


# Admins that are deliberately not scoped to a province. A new admin that is neither scoped
# nor listed here fails the matrix: decide which it is, and say so here.
# National-only: provincial staff may not even list them (403).
NATIONAL_ONLY = {
    "auditlog.LogEntry", "auth.Group", "auth.User", "axes.AccessAttempt", "axes.AccessFailureLog",
    "axes.AccessLog", "django_tasks_database.DBTaskResult",
}
# Reference data without a province: provincial staff read it, and change nothing.
REFERENCE_DATA = {"companies.Sector", "matchmaking.ExchangeRate"}


@pytest.fixture
def worlds(db):
    import datetime

    from matchmaking.models import ExchangeRate

    ExchangeRate.objects.create(effective_on=datetime.date(2026, 3, 21), rials_per_usd=700_000)  # national reference data
    return build_world("qom"), build_world("tehran")


def may_view(user, model) -> bool:
    return user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")


@pytest.mark.parametrize("model", MODELS, ids=label)
def test_qom_staff_never_see_or_touch_tehran_objects(model, staff_client, qom_staff, worlds):
    qom, tehran = worlds
    model_admin = admin.site._registry[model]
    if label(model) in NATIONAL_ONLY:
        assert_national_only(model, model_admin, staff_client)
        return
    if label(model) in REFERENCE_DATA:
        assert_read_only_reference_data(model, model_admin, staff_client)
        return
    assert scoped(model_admin), (
        f"{label(model)}'s admin is not scoped to a province: declare its province_path, or list it "
        "in NATIONAL_ONLY or REFERENCE_DATA"
    )

    assert model in tehran, f"tests/factories.py build_world() builds no {label(model)}: add one so the matrix can try it"
    theirs, ours = tehran[model], qom[model]
    before = model_to_dict(theirs)
    viewer = may_view(qom_staff, model)

    response = staff_client.get(url(model, "changelist"))
    if viewer:
        assert response.status_code == 200
        rows = set(response.context["cl"].queryset.values_list("pk", flat=True))
        assert ours.pk in rows and theirs.pk not in rows
        # The filters offer no Tehran values either.
        tehran_province = Province.objects.get(slug="tehran")
        for spec in response.context["cl"].filter_specs:
            related = getattr(getattr(spec, "field", None), "related_model", None)
            path = province_path_for(related) if related else False
            if path in (False, None):
                continue
            offered = {str(choice[0]) for choice in spec.lookup_choices}
            foreign = {
                str(obj.pk) for obj in related._default_manager.all() if province_id_of(obj, path) == tehran_province.pk
            }
            assert not offered & foreign, spec.title
    else:
        assert response.status_code == 403

    views = ["change", "delete", "history"]
    try:
        url(model, "auditlog", theirs.pk)
        views.append("auditlog")
    except NoReverseMatch:
        pass
    for view in views:
        status = staff_client.get(url(model, view, theirs.pk)).status_code
        assert status == 404 if viewer else status in (403, 404), (view, status)

    # Posting to another province's object changes nothing.
    assert staff_client.post(url(model, "change", theirs.pk), {}).status_code in (403, 404)
    assert staff_client.post(url(model, "delete", theirs.pk), {"post": "yes"}).status_code in (403, 404)
    staff_client.post(
        url(model, "changelist"),
        {"action": "delete_selected", admin.helpers.ACTION_CHECKBOX_NAME: [theirs.pk], "post": "yes"},
    )
    theirs.refresh_from_db()
    assert model_to_dict(theirs) == before


def some_object(model):
    """A row to try the object pages on: the first there is, or one made for the test."""
    obj = model._default_manager.order_by("pk").first()
    if obj is None and label(model) == "axes.AccessAttempt":
        obj = model.objects.create(username="someone", ip_address="192.0.2.1", user_agent="test", failures_since_start=1)
    if obj is None and label(model) == "axes.AccessLog":
        obj = model.objects.create(username="someone", ip_address="192.0.2.1", user_agent="test")
    if obj is None and label(model) == "axes.AccessFailureLog":
        obj = model.objects.create(username="someone", ip_address="192.0.2.1", user_agent="test", locked_out=False)
    return obj


def assert_national_only(model, model_admin, staff_client):
    assert not isinstance(model_admin, ProvinceScopedMixin) or model_admin.provincial_permissions == ()
    assert staff_client.get(url(model, "changelist")).status_code == 403
    assert staff_client.get(url(model, "add")).status_code == 403
    obj = some_object(model)
    if obj is None:  # no row to try (task results appear only once a task ran)
        return
    before = model_to_dict(obj)
    for view in ("change", "delete", "history"):
        assert staff_client.get(url(model, view, obj.pk)).status_code in (403, 404), view
    assert staff_client.post(url(model, "change", obj.pk), {}).status_code in (403, 404)
    assert staff_client.post(url(model, "delete", obj.pk), {"post": "yes"}).status_code in (403, 404)
    obj.refresh_from_db()
    assert model_to_dict(obj) == before


def assert_read_only_reference_data(model, model_admin, staff_client):
    assert isinstance(model_admin, ProvinceScopedMixin) and model_admin.province_path is None
    assert model_admin.provincial_permissions == ("view",)
    response = staff_client.get(url(model, "changelist"))
    assert response.status_code == 200 and response.context["cl"].result_count == model._default_manager.count()
    assert staff_client.get(url(model, "add")).status_code == 403
    obj = model._default_manager.order_by("pk").first()
    before = model_to_dict(obj)
    page = staff_client.get(url(model, "change", obj.pk))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert 'name="_save"' not in page.content.decode()
    assert staff_client.post(url(model, "change", obj.pk), {}).status_code == 403
    assert staff_client.get(url(model, "delete", obj.pk)).status_code == 403
    assert staff_client.post(url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    obj.refresh_from_db()
    assert model_to_dict(obj) == before


def test_the_unscoped_lists_name_registered_admins_only():
    registered = {label(model) for model in MODELS}
    assert NATIONAL_ONLY <= registered and REFERENCE_DATA <= registered
    assert not NATIONAL_ONLY & REFERENCE_DATA


def test_national_staff_may_use_the_national_only_admins(client, national_staff):
    client.force_login(national_staff)
    for model in MODELS:
        if label(model) in NATIONAL_ONLY:
            assert client.get(url(model, "changelist")).status_code == 200, label(model)


def _choice_problems(field, user, tehran_province, unscoped) -> list:
    problems = []
    for name, form_field in field.items():
        if not isinstance(form_field, forms.ModelChoiceField) or name in unscoped:
            continue
        related = form_field.queryset.model
        if related is get_user_model():
            staff_provinces = {
                sp for u in form_field.queryset for sp in u.staff_provinces.values_list("province__slug", flat=True)
            }
            if "tehran" in staff_provinces:
                problems.append(name)
            continue
        path = province_path_for(related)
        if path in (False, None):
            continue
        for obj in form_field.queryset:
            if province_id_of(obj, path) == tehran_province.pk:
                problems.append((name, obj))
    return problems


@pytest.mark.parametrize("model", MODELS, ids=label)
def test_qom_staff_forms_offer_no_tehran_choices(model, qom_staff, worlds):
    """Foreign-key choices of every form and inline: nothing of Tehran, so nothing can be
    created in or moved into Tehran through them."""
    model_admin = admin.site._registry[model]
    if not isinstance(model_admin, ProvinceScopedMixin):
        # Its forms are never shown to provincial staff (the matrix asserts the 403).
        assert label(model) in NATIONAL_ONLY, f"{label(model)}'s admin is neither scoped nor national-only"
        return
    request = RequestFactory().get("/admin/")
    request.user = qom_staff
    tehran_province = Province.objects.get(slug="tehran")
    unscoped = set(model_admin.unscoped_fk_fields)
    form = model_admin.get_form(request, None, change=False)()
    problems = _choice_problems(form.fields, qom_staff, tehran_province, unscoped)
    for inline in model_admin.get_inline_instances(request):
        formset = inline.get_formset(request)()
        # The formset's hidden row-id field is left out: Django resolves posted ids only
        # among the parent's own rows, and it renders no choices.
        unscoped_inline = set(inline.unscoped_fk_fields) | {inline.model._meta.pk.name}
        problems += _choice_problems(formset.empty_form.fields, qom_staff, tehran_province, unscoped_inline)
    assert problems == []


def _autocomplete_sources():
    for model, model_admin in REGISTRY:
        sources = [(model, model_admin)] + [(inline.model, inline) for inline in model_admin.inlines]
        for source_model, source_admin in sources:
            for name in getattr(source_admin, "autocomplete_fields", ()):
                if name in getattr(source_admin, "unscoped_fk_fields", ()):
                    continue
                yield pytest.param(source_model, name, id=f"{label(source_model)}.{name}")


@pytest.mark.parametrize(("source_model", "field_name"), list(_autocomplete_sources()))
def test_autocomplete_offers_qom_staff_nothing_of_tehran(source_model, field_name, staff_client, qom_staff, worlds):
    qom, tehran = worlds
    target = source_model._meta.get_field(field_name).related_model
    params = {"app_label": source_model._meta.app_label, "model_name": source_model._meta.model_name,
              "field_name": field_name}
    for term in ["", "جهان", str(tehran[target])]:
        response = staff_client.get(reverse("admin:autocomplete"), {**params, "term": term})
        if response.status_code == 403:
            assert not may_view(qom_staff, target)
            return
        ids = {row["id"] for row in response.json()["results"]}
        assert str(tehran[target].pk) not in ids
    response = staff_client.get(reverse("admin:autocomplete"), {**params, "term": ""})
    assert str(qom[target].pk) in {row["id"] for row in response.json()["results"]}


def test_national_staff_see_both_provinces(client, national_staff, worlds):
    qom, tehran = worlds
    client.force_login(national_staff)
    for model in (next(m for m in MODELS if m._meta.label == "needs.Need"),):
        rows = set(client.get(url(model, "changelist")).context["cl"].queryset.values_list("pk", flat=True))
        assert {qom[model].pk, tehran[model].pk} <= rows
        assert client.get(url(model, "change", tehran[model].pk)).status_code == 200
