from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class PortalConfig(AppConfig):
    name = "portal"
    default = True  # this module holds other apps' configs too

    def ready(self):
        from portal import checks  # noqa: F401  (registers the deployment checks)


# Third-party apps whose names the admin shows in English whatever the language (their own
# verbose names are not marked for translation): the same apps under translated names.
class LoginLockoutsConfig(AxesAppConfig):
    verbose_name = _("Login lockouts")


class BackgroundTasksConfig(TasksAppConfig):
    verbose_name = _("Background tasks")
