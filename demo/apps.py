from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo seeder: sits above every app it fills (`python manage.py seed_demo`)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
    verbose_name = "Demo data"
