"""python manage.py add_province_staff USERNAME --province SLUG [--province SLUG ...] [--password P]

Creates or updates a provincial staff user for the admin (docs/design.md section 4): staff
status, membership of the "provincial staff" group (whose permissions follow the registered
admins, exhibitions/scoping.py) and the province(s) the user serves. Running it again with
the same arguments changes nothing; a new --province is added to the user's provinces.
A user who acts for a company (or has asked to join one) is refused: staff work needs a
separate account."""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, no_translations
from django.db import transaction

from exhibitions.models import Province, StaffProvince, staff_grant_checks
from exhibitions.scoping import sync_staff_groups


class Command(BaseCommand):
    help = "Create or update a provincial staff user who works in the admin for one or more provinces."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--province", action="append", required=True, metavar="SLUG",
                            help="Province slug (e.g. qom); repeat for several provinces.")
        parser.add_argument("--password", help="Set this password (otherwise an existing password is kept, "
                                               "and a new user cannot log in until one is set).")
        parser.add_argument("--email", default=None)

    @no_translations  # the operator reads English, refusals included
    @transaction.atomic
    def handle(self, *args, username, province, password=None, email=None, **options):
        provinces = []
        for slug in province:
            found = Province.objects.filter(slug=slug.strip().lower()).first()
            if found is None:
                known = ", ".join(Province.objects.order_by("slug").values_list("slug", flat=True))
                raise CommandError(f"Unknown province '{slug}'. Known provinces: {known}")
            provinces.append(found)

        User = get_user_model()
        user, created = User.objects.get_or_create(username=username)
        try:
            # Staff never act for a company: an account that does is refused (companies).
            staff_grant_checks.run(user)
        except ValidationError as error:
            raise CommandError(f"User '{username}' refused: " + " ".join(error.messages)) from None
        if password:
            try:
                validate_password(password, user)
            except ValidationError as error:
                raise CommandError("Password refused: " + " ".join(error.messages)) from None
            user.set_password(password)
        elif created:
            user.set_unusable_password()
        if email is not None:
            user.email = email
        user.is_staff = True
        user.is_active = True
        user.save()

        _national, provincial = sync_staff_groups()
        user.groups.add(provincial)
        for item in provinces:
            StaffProvince.objects.get_or_create(user=user, province=item)

        served = ", ".join(sorted(StaffProvince.objects.filter(user=user).values_list("province__slug", flat=True)))
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} provincial staff user '{username}' serving: {served}."))
        if created and not password:
            self.stdout.write("No password set: run `manage.py changepassword %s` before logging in." % username)
