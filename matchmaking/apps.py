from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchmakingConfig(AppConfig):
    name = "matchmaking"
    verbose_name = _("Matchmaking")

    def ready(self):
        # The rule an exhibition's change must keep for meetings in its rooms (core/dependents.py).
        from matchmaking import checks  # noqa: F401
