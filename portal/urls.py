from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from accounts.forms import StaffLoginForm
from portal import views

# The admin's sign-in refuses over-long usernames as a form error, like the site's.
admin.site.login_form = StaffLoginForm

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("api/stats/", views.api_stats, name="api-stats"),
    path("api/", include("portal.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
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
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
