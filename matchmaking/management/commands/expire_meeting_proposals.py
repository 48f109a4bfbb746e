from django.core.management.base import BaseCommand

from matchmaking.services import meeting_expire_proposals


class Command(BaseCommand):
    help = "Expire meeting proposals nobody answered in time and free their slots (run every few minutes)."

    def handle(self, *args, **options):
        count = meeting_expire_proposals()
        self.stdout.write(f"expired proposals: {count}")
