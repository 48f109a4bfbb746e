"""Template helpers every page uses: core.formats as filters, the language switch, and
small conveniences for figures."""


from django import template
from django.urls import translate_url

from core import formats
from core.i18n import is_persian

register = template.Library()

for _name in ("digits", "number", "usd", "date", "local_name"):
    register.filter(_name, getattr(formats, _name))
register.filter("datetime", formats.datetime_)


@register.simple_tag(takes_context=True)
def other_language_url(context):
    """This page in the other language (a plain link: the language lives in the URL)."""
    request = context.get("request")
    target = "en" if is_persian() else "fa"
    if request is None:
        return "/" if target == "fa" else "/en/"
    return translate_url(request.get_full_path(), target)


@register.filter
def startswith(value, prefix):
    return bool(prefix) and str(value).startswith(str(prefix))
