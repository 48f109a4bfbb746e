from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ExhibitionsConfig(AppConfig):
    name = "exhibitions"
    verbose_name = _("Exhibitions")

    def ready(self):
        from exhibitions.scoping import sync_staff_groups_after_migrate

        # The staff groups' permissions follow the registered admins (exhibitions/scoping.py).
        post_migrate.connect(sync_staff_groups_after_migrate, dispatch_uid="exhibitions_sync_staff_groups")
