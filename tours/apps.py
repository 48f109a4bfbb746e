from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToursConfig(AppConfig):
    """Exhibition tours and their registrations: capacity, waiting list, check-in."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "tours"
    verbose_name = _("Tours")

    def ready(self):
        # The rules the exhibitions below this app must keep for it (core/dependents.py).
        from tours import checks  # noqa: F401
