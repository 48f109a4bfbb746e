"""Tours: organised visits of supplier firms to an exhibition, and their registrations.

The tables keep the names they had inside matchmaking (db_table), so moving the models
here lost no row."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.models import Company, Sector
from core.text import TypedTextModel
from exhibitions.models import Exhibition


class Tour(TypedTextModel, models.Model):
    TYPED_TEXT_FIELDS = ("organiser_name", "title", "meeting_point", "cancel_reason")

    """An organised visit of supplier firms to an exhibition."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Held")

    class Language(models.TextChoices):
        PERSIAN = "fa", _("Persian")
        ENGLISH = "en", _("English")

    exhibition = models.ForeignKey(Exhibition, on_delete=models.PROTECT, related_name="tours", verbose_name=_("exhibition"))
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="organised_tours", verbose_name=_("organiser")
    )
    organiser_name = models.CharField(
        _("organising body"), max_length=200, blank=True, help_text=_("Association, chamber or office running the tour.")
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveSmallIntegerField(_("seats"), validators=[MinValueValidator(1)])
    sectors = models.ManyToManyField(Sector, related_name="tours", blank=True, verbose_name=_("sectors of focus"))
    meeting_point = models.CharField(_("meeting point"), max_length=300)
    registration_deadline = models.DateTimeField(_("registration deadline"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.PERSIAN)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    # Tours created together as a weekly series share this id (None for a single tour).
    series = models.UUIDField(_("series"), null=True, blank=True, editable=False, db_index=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    # With TourRegistration.calendar_sequence, the SEQUENCE of a registration's calendar
    # file: each is raised by the services when a change shows in the file, so their sum
    # only grows and a later file (a change, a cancellation) replaces an earlier one.
    calendar_sequence = models.PositiveIntegerField(_("calendar revision"), default=0, db_default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "matchmaking_tour"
        ordering = ["starts_at"]
        verbose_name = _("tour")
        verbose_name_plural = _("tours")
        indexes = [models.Index(fields=["exhibition", "starts_at"], name="tour_exhibition_time_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="tour_ends_after_start",
                violation_error_message=_("A tour must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(registration_deadline__lte=F("starts_at")), name="tour_deadline_before_start",
                violation_error_message=_("Registration must close before the tour starts."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="tour_has_seats",
                violation_error_message=_("A tour needs at least one seat."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def registration_open(self, now=None) -> bool:
        """Companies may register, change or join the waiting list: the tour is scheduled
        and its registration deadline has not passed. The one definition of the window, for
        the services, views, selectors and templates (``{% if tour.registration_open %}``)."""
        now = now or timezone.now()
        return self.status == self.Status.SCHEDULED and now < self.registration_deadline


def checked_in(path: str = "") -> Q:
    """The registrations TourRegistration.is_checked_in says came, as a filter (path: the
    relation from the queried model, e.g. "registrations__")."""
    return Q(**{f"{path}attended__gt": 0})


class TourRegistration(TypedTextModel, models.Model):
    TYPED_TEXT_FIELDS = ("attendee_names",)

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")

    tour = models.ForeignKey(Tour, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("tour"))
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="tour_registrations", verbose_name=_("company")
    )
    attendees = models.PositiveSmallIntegerField(_("number of attendees"), default=1, validators=[MinValueValidator(1)])
    attendee_names = models.TextField(_("attendee names"), blank=True, help_text=_("One name per line."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    attended = models.PositiveSmallIntegerField(_("attended"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("registered by"),
    )
    calendar_sequence = models.PositiveIntegerField(_("calendar revision"), default=0, db_default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        db_table = "matchmaking_tourregistration"
        ordering = ["tour", "created_at", "id"]
        indexes = [models.Index(fields=["tour", "status", "created_at"], name="tourreg_queue_idx")]
        verbose_name = _("tour registration")
        verbose_name_plural = _("tour registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["tour", "company"], name="tour_one_registration_per_company",
                violation_error_message=_("This company is already registered for this tour."),
            ),
            models.CheckConstraint(condition=Q(attendees__gte=1), name="tour_registration_attendees_positive"),
            models.CheckConstraint(
                condition=Q(attended__isnull=True) | Q(attended__lte=F("attendees")),
                name="tour_registration_attended_within_registered",
                violation_error_message=_("More people attended than were registered."),
            ),
        ]

    @property
    def is_checked_in(self) -> bool:
        """At least one of its people came (the desk's attendance or the code at the door);
        0 recorded is a no-show, and the group may still be checked in when it arrives."""
        return bool(self.attended)

    def __str__(self) -> str:
        return f"{self.company} · {self.tour}"


class TourMessageQuerySet(models.QuerySet):
    def claim(self, pk: int) -> bool:
        """Mark a recorded message as being sent: True once only (a conditional UPDATE), so
        a task run twice mails it once."""
        return bool(self.filter(pk=pk, recipients__isnull=True).update(recipients=0))

    def record_sent(self, pk: int, letters: int) -> None:
        self.filter(pk=pk).update(recipients=letters)


class TourMessage(models.Model):
    """A message the people who manage a tour sent to its registered companies (one letter
    per mailbox, composed in tours.notifications). Kept so the desk shows what was sent; the
    token the form carries makes a second submission of the same form send nothing."""

    class Audience(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed registrations")
        WAITLISTED = "waitlisted", _("The waiting list")
        ALL = "all", _("Everyone registered (confirmed and waiting)")

    tour = models.ForeignKey(Tour, on_delete=models.CASCADE, related_name="messages", verbose_name=_("tour"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("sent by"),
    )
    audience = models.CharField(_("sent to"), max_length=10, choices=Audience.choices, default=Audience.ALL)
    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(_("message"), max_length=5000)
    token = models.UUIDField(_("form token"), unique=True, editable=False)
    recipients = models.PositiveIntegerField(_("letters sent"), null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    objects = TourMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["tour", "-sent_at"], name="tourmessage_tour_idx")]
        verbose_name = _("message to registrants")
        verbose_name_plural = _("messages to registrants")

    def __str__(self) -> str:
        return self.subject

    @property
    def statuses(self) -> tuple[str, ...]:
        """The registration statuses the audience reaches (never the cancelled)."""
        confirmed, waitlisted = TourRegistration.Status.CONFIRMED, TourRegistration.Status.WAITLISTED
        return {self.Audience.CONFIRMED: (confirmed,), self.Audience.WAITLISTED: (waitlisted,)}.get(
            self.audience, (confirmed, waitlisted)
        )
