from django.core.management.base import BaseCommand

from tours.services import tour_reminders_send


class Command(BaseCommand):
    help = (
        "Queue reminder mail for confirmed registrations of tours starting within 24 hours. "
        "Run it from cron (e.g. hourly); each registration is reminded once."
    )

    def handle(self, *args, **options):
        sent = tour_reminders_send()
        self.stdout.write(f"tour reminders queued: {sent}")
