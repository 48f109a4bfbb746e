from django import template

from portal.dashboard import staff_dashboard

register = template.Library()


@register.inclusion_tag("admin/portal_dashboard.html", takes_context=True)
def staff_dashboard_panel(context):
    request = context["request"]
    return {"dashboard": staff_dashboard(user=request.user), "request": request}
