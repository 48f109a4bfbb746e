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
from tests.admin.world import build_world

pytestmark = pytest.mark.django_db

REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
MODELS = [model for model, _admin in REGISTRY]


def label(model):
    return model._meta.label


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def scoped(model_admin) -> bool:
    return isinstance(model_admin, ProvinceScopedMixin) and model_admin.province_path is not None


@pytest.fixture
def worlds(db):
    return build_world("qom"), build_world("tehran")


@pytest.fixture
def qom_client(client, qom_staff):
    client.force_login(qom_staff)
    return client


def may_view(user, model) -> bool:
    return user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")


@pytest.mark.parametrize("model", MODELS, ids=label)
def test_qom_staff_never_see_or_touch_tehran_objects(model, qom_client, qom_staff, worlds):
    qom, tehran = worlds
    model_admin = admin.site._registry[model]
    if not scoped(model_admin):
        # National-only models and province-less reference data: provincial staff can add,
        # change or delete none of it.
        assert qom_client.get(url(model, "add")).status_code == 403
        response = qom_client.get(url(model, "changelist"))
        if isinstance(model_admin, ProvinceScopedMixin) and "view" in model_admin.provincial_permissions:
            assert response.status_code == 200  # reference data (sectors), read-only
        else:
            assert response.status_code == 403
        return

    assert model in tehran, f"tests/admin/world.py builds no {label(model)}: add one so the matrix can try it"
    theirs, ours = tehran[model], qom[model]
    before = model_to_dict(theirs)
    viewer = may_view(qom_staff, model)

    response = qom_client.get(url(model, "changelist"))
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
        status = qom_client.get(url(model, view, theirs.pk)).status_code
        assert status == 404 if viewer else status in (403, 404), (view, status)

    # Posting to another province's object changes nothing.
    assert qom_client.post(url(model, "change", theirs.pk), {}).status_code in (403, 404)
    assert qom_client.post(url(model, "delete", theirs.pk), {"post": "yes"}).status_code in (403, 404)
    qom_client.post(
        url(model, "changelist"),
        {"action": "delete_selected", admin.helpers.ACTION_CHECKBOX_NAME: [theirs.pk], "post": "yes"},
    )
    theirs.refresh_from_db()
    assert model_to_dict(theirs) == before


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
def test_autocomplete_offers_qom_staff_nothing_of_tehran(source_model, field_name, qom_client, qom_staff, worlds):
    qom, tehran = worlds
    target = source_model._meta.get_field(field_name).related_model
    params = {"app_label": source_model._meta.app_label, "model_name": source_model._meta.model_name,
              "field_name": field_name}
    for term in ["", "جهان", str(tehran[target])]:
        response = qom_client.get(reverse("admin:autocomplete"), {**params, "term": term})
        if response.status_code == 403:
            assert not may_view(qom_staff, target)
            return
        ids = {row["id"] for row in response.json()["results"]}
        assert str(tehran[target].pk) not in ids
    response = qom_client.get(reverse("admin:autocomplete"), {**params, "term": ""})
    assert str(qom[target].pk) in {row["id"] for row in response.json()["results"]}


def test_national_staff_see_both_provinces(client, national_staff, worlds):
    qom, tehran = worlds
    client.force_login(national_staff)
    for model in (next(m for m in MODELS if m._meta.label == "needs.Need"),):
        rows = set(client.get(url(model, "changelist")).context["cl"].queryset.values_list("pk", flat=True))
        assert {qom[model].pk, tehran[model].pk} <= rows
        assert client.get(url(model, "change", tehran[model].pk)).status_code == 200
