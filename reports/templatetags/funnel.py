from django import template

from reports import formats

register = template.Library()
register.filter("percent", formats.percent)
register.filter("days", formats.days)
