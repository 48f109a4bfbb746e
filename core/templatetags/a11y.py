"""Markup that lets people read a page as it is meant, whatever they read it with:

- `{{ text|user_text }}`: text someone typed (a title, a company name, a message) isolated
  in `<bdi>`, so a Latin word or a number at its edge cannot reorder the sentence around it,
  and marked `lang="fa"` on an English page (or `lang="en"` on a Persian one) when it is
  written in the other language, so a screen reader reads it with the right voice;
- `{{ html|lang_runs }}`: Persian words inside English text (a help text) marked `lang="fa"`;
- `{{ text|lang_attr }}`: the same mark for an attribute (` lang="fa"`), for an `<img>`
  whose alt text or an element whose title is in the other language;
- `{{ phone|tel_href }}`: the `tel:` address of a phone number as staff typed it;
- `{% form_widget field %}`: a form field's widget, left to right where its value is
  (e-mail addresses, user names, passwords, web addresses, phone numbers);
- `{% page_has_errors as failed %}`: whether a form on the page came back with errors (the
  page's title then starts with "Error:")."""

import re

from django import forms, template
from django.utils.html import conditional_escape, format_html, strip_tags
from django.utils.safestring import mark_safe

from core.i18n import is_persian
from core.text import normalize_digits

register = template.Library()

_PERSIAN = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN = re.compile("[A-Za-z]")


def text_language(text) -> str | None:
    """"fa" for text in Persian script, "en" for text in Latin letters only, None for text
    without letters (numbers, signs)."""
    plain = strip_tags(str(text or ""))
    if _PERSIAN.search(plain):
        return "fa"
    if _LATIN.search(plain):
        return "en"
    return None


def other_language(text) -> str | None:
    """The language of `text` when it is not the page's, else None."""
    language = text_language(text)
    page = "fa" if is_persian() else "en"
    return language if language and language != page else None


@register.filter
def lang_attr(text) -> str:
    language = other_language(text)
    return format_html(' lang="{}"', language) if language else ""


@register.filter
def user_text(text) -> str:
    if text in (None, ""):
        return ""
    language = other_language(text)
    if language:
        return format_html('<bdi lang="{}">{}</bdi>', language, conditional_escape(text))
    return format_html("<bdi>{}</bdi>", conditional_escape(text))


_PERSIAN_RUN = re.compile("[\u0600-\u06ff](?:[\u0600-\u06ff\u200c ]*[\u0600-\u06ff])?")
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)|([^<]+)")


@register.filter
def lang_runs(html) -> str:
    """On an English page, Persian words inside English text (a help text that names a
    Persian term) wrapped in `<span lang="fa">`; the markup is left as it is."""
    html = conditional_escape(html)
    if is_persian() or not _PERSIAN.search(html):
        return html

    def piece(match: re.Match) -> str:
        if match.group(1):
            return match.group(1)
        return _PERSIAN_RUN.sub(lambda run: f'<span lang="fa">{run.group()}</span>', match.group(2))

    return mark_safe(_TAG_OR_TEXT.sub(piece, html))


@register.filter
def tel_href(phone) -> str:
    """"tel:+982530031676"-style address: the digits (and a leading +) of the number."""
    digits = normalize_digits(str(phone or ""))
    return "tel:" + ("+" if digits.strip().startswith("+") else "") + re.sub(r"\D", "", digits)


LTR_WIDGETS = frozenset({"email", "url", "password", "tel"})
LTR_NAMES = ("username", "email", "website", "phone", "video_url")


@register.simple_tag
def form_widget(field):
    attrs = {}
    if field.widget_type in LTR_WIDGETS or field.name.endswith(LTR_NAMES):
        attrs["dir"] = "ltr"
    return field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def page_has_errors(context) -> bool:
    """A bound form in the page's context with errors."""
    for value in context.flatten().values():
        if isinstance(value, forms.BaseForm) and value.is_bound and value.errors:
            return True
    return False


@register.simple_tag
def form_error_items(*forms_):
    """The errors of `forms_` for the error summary: (target id or "", label, message)."""
    items = []
    for form in forms_:
        if not isinstance(form, forms.BaseForm) or not form.is_bound or not form.errors:
            continue
        for message in form.non_field_errors():
            items.append(("", "", message))
        for field in form.visible_fields():
            for message in field.errors:
                target = f"{field.auto_id}_0" if field.field.widget.use_fieldset else field.id_for_label
                items.append((target or field.auto_id, field.label, message))
    return items

