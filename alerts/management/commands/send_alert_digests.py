from django.core.management.base import BaseCommand
from django.utils import timezone

from alerts.services import send_digests


class Command(BaseCommand):
    help = (
        "Queue the daily digest of new needs matching each saved search (run it daily after "
        "ALERT_DIGEST_HOUR, or hourly: each search's digest goes out at most once a day)."
    )

    def handle(self, *args, **options):
        queued = send_digests(timezone.now())
        self.stdout.write(f"digests queued: {queued}")
