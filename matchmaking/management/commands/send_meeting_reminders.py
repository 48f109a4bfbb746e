from django.core.management.base import BaseCommand
from django.utils import timezone

from matchmaking.models import Meeting
from matchmaking.tasks import send_meeting_reminder


class Command(BaseCommand):
    help = "Queue the day-before reminder of every confirmed meeting that starts within 24 hours (run hourly)."

    def handle(self, *args, **options):
        due = list(Meeting.objects.due_for_reminder(timezone.now()).values_list("pk", flat=True))
        for meeting_id in due:
            send_meeting_reminder.enqueue(meeting_id)
        self.stdout.write(f"reminders queued: {len(due)}")
