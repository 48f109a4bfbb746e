"""The markup helpers that let a screen reader and a bidirectional page read right
(core/templatetags/a11y.py)."""

from django import forms
from django.template import Context, Template
from django.utils import translation

from core.templatetags.a11y import (
    form_error_items,
    lang_attr,
    lang_runs,
    tel_href,
    user_text,
)


def test_persian_text_on_an_english_page_is_marked_persian_and_isolated():
    with translation.override("en"):
        assert user_text("لنت ترمز") == '<bdi lang="fa">لنت ترمز</bdi>'
        assert user_text("Brake pads") == "<bdi>Brake pads</bdi>"
        assert lang_attr("لنت ترمز") == ' lang="fa"' and lang_attr("Brake pads") == ""


def test_english_text_on_a_persian_page_is_marked_english():
    assert user_text("ISO 9001") == '<bdi lang="en">ISO 9001</bdi>'
    assert user_text("لنت <ترمز>") == "<bdi>لنت &lt;ترمز&gt;</bdi>"
    assert user_text("") == "" and lang_attr("۱۲۳") == ""


def test_persian_words_inside_an_english_help_text_are_marked():
    with translation.override("en"):
        assert lang_runs("The national ID (شناسه ملی) of the firm.") == (
            'The national ID (<span lang="fa">شناسه ملی</span>) of the firm.'
        )
    assert lang_runs("شناسه ملی") == "شناسه ملی"


def test_a_phone_number_as_staff_typed_it_becomes_a_tel_address():
    assert tel_href("025-3003 1676") == "tel:02530031676"
    assert tel_href("۰۲۵-۳۰۰۳۱۶۷۶") == "tel:02530031676"
    assert tel_href("+98 25 3003 1676") == "tel:+982530031676"


class Signup(forms.Form):
    username = forms.CharField(help_text="Letters and digits.")
    email = forms.EmailField()
    city = forms.CharField()
    mode = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)


def test_addresses_and_user_names_run_left_to_right_and_other_fields_follow_the_page():
    form = Signup()
    render = Template("{% load a11y %}{% form_widget field %}").render
    assert 'dir="ltr"' in render(Context({"field": form["username"]}))
    assert 'dir="ltr"' in render(Context({"field": form["email"]}))
    assert "dir=" not in render(Context({"field": form["city"]}))


def test_the_error_summary_links_each_error_to_its_field_and_the_title_says_error():
    form = Signup(data={"email": "x"})
    with translation.override("en"):
        items = form_error_items(form)
    assert ("id_username", "Username", "This field is required.") in items
    assert ("id_mode_0", "Mode", "This field is required.") in items  # a group: its first choice
    page = Template("{% load a11y %}{% page_has_errors as failed %}{{ failed }}")
    assert page.render(Context({"form": form})) == "True"
    assert page.render(Context({"form": Signup()})) == "False"


def test_every_id_a_field_points_at_is_rendered_by_the_field_template():
    form = Signup(data={"email": "x"})
    html = Template('{% include "includes/form_fields.html" %}').render(Context({"form": form}))
    for target in ("id_username_helptext", "id_username_error", "id_email_error", "id_mode_error"):
        assert f'id="{target}"' in html
    assert '<fieldset class="field group invalid" id="field-mode" aria-describedby="id_mode_error">' in html
    assert "<legend>Mode</legend>" in html
    assert html.index('class="error-summary"') < html.index('name="username"')
