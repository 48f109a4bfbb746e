from django.core.management.base import BaseCommand, CommandError

from demo.seeder import PUBLISHED_NEEDS, DemoSeeder


class Command(BaseCommand):
    help = "Load deterministic demo data matching the programme's published figures (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--needs", type=int, default=PUBLISHED_NEEDS,
                            help="How many needs to create (default: the published 1,293). "
                                 "Companies scale with it.")
        parser.add_argument("--no-photos", action="store_true", help="Skip drawing sample photos.")

    def handle(self, *args, needs, no_photos, **options):
        if needs < 1:
            raise CommandError("--needs must be at least 1")
        DemoSeeder(needs=needs, photos=not no_photos, stdout=self.stdout).run()
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
