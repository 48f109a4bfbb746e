from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views import defaults

from accounts import views as accounts_views
from accounts.forms import StaffLoginForm
from core.api import api_error_response, is_api_path
from portal import metrics, views

# The admin's sign-in refuses over-long usernames as a form error, like the site's.
admin.site.login_form = StaffLoginForm

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("api/stats/", views.api_stats, name="api-stats"),
    path("api/", include("portal.api_urls")),
    # The language switch: Django's set_language, which also keeps a signed-in user's choice.
    path("i18n/setlang/", accounts_views.set_language, name="set_language"),
]

# Each app owns its URLs (docs/design.md §4): /needs/, /exhibitions/, /companies/, and
# matchmaking's /tours/ and /account/.
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("stats/", views.stats, name="stats"),
    path("needs/", include("needs.urls")),
    path("exhibitions/", include("exhibitions.urls")),
    path("", include("companies.urls")),
    path("", include("accounts.urls")),
    path("", include("tours.urls")),
    path("", include("matchmaking.urls")),
    path("", include("conversations.urls")),
    path("", include("alerts.urls")),
    path("", include("notices.urls")),
    path("admin/reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)


# Errors that no view answers (an unmatched URL, an uncaught exception): JSON under /api/, as
# the API's own errors are (core.api), and the site's pages everywhere else.
def handler400(request, exception):
    return api_error_response(request, 400) if is_api_path(request.path) else defaults.bad_request(request, exception)


def handler403(request, exception):
    return api_error_response(request, 403) if is_api_path(request.path) else defaults.permission_denied(request, exception)


def handler404(request, exception):
    return api_error_response(request, 404) if is_api_path(request.path) else defaults.page_not_found(request, exception)


def handler500(request):
    return api_error_response(request, 500) if is_api_path(request.path) else defaults.server_error(request)
