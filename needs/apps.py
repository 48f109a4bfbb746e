from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "needs"
    verbose_name = _("Needs")

    def ready(self):
        # The rules the exhibitions, shelves and companies below this app must keep for it (core/dependents.py).
        from needs import checks  # noqa: F401
