import datetime

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from core.text import TypedTextModel
from exhibitions.models import MeetingRoom
from needs.models import Need


class Interest(TypedTextModel, models.Model):
    TYPED_TEXT_FIELDS = ("certifications", "message", "decline_reason")

    """A supplier's readiness declaration (اعلام آمادگی) for a need."""

    class Status(models.TextChoices):
        DECLARED = "declared", _("Declared")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="interests", verbose_name=_("need"))
    supplier = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="interests", verbose_name=_("supplier"))
    annual_capacity = models.DecimalField(
        _("annual capacity"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"))
    indicative_price_rials = models.PositiveBigIntegerField(_("indicative price (rials)"), null=True, blank=True)
    certifications = models.CharField(_("certifications"), max_length=300, blank=True)
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DECLARED)
    decline_reason = models.CharField(_("reason for declining"), max_length=300, blank=True)
    # When the buyer (or staff) first shortlisted it: set by interest_decide, kept if it is
    # declined later, so the funnel counts every declaration that ever reached the shortlist.
    shortlisted_at = models.DateTimeField(_("shortlisted at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("readiness declaration")
        verbose_name_plural = _("readiness declarations")
        constraints = [
            models.UniqueConstraint(
                fields=["need", "supplier"], name="interest_one_per_supplier_and_need",
                violation_error_message=_("This supplier has already declared readiness for this need."),
            ),
            models.CheckConstraint(
                condition=Q(annual_capacity__gte=0), name="interest_capacity_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} → {self.need}"


class MeetingQuerySet(models.QuerySet):
    def due_for_reminder(self, now: datetime.datetime):
        """Confirmed meetings that start within a day and have not been reminded yet."""
        return self.filter(
            status=Meeting.Status.CONFIRMED, reminder_sent_at__isnull=True,
            starts_at__gt=now, starts_at__lte=now + datetime.timedelta(days=1),
        )

    def claim_reminder(self, pk: int, now: datetime.datetime) -> bool:
        """Mark one meeting's reminder as sent if it is due: True once only (a conditional
        UPDATE), so a deferred task and the periodic command never both send it."""
        return bool(self.due_for_reminder(now).filter(pk=pk).update(reminder_sent_at=now))


class Meeting(models.Model):
    """A B2B meeting between a need's buyer and a supplier, in a room or by video."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIDEO = "video", _("Video")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")

    class Side(models.TextChoices):
        BUYER = "buyer", _("Buyer")
        SUPPLIER = "supplier", _("Supplier")
        STAFF = "staff", _("Staff")

    ACTIVE_STATUSES = (Status.PROPOSED, Status.CONFIRMED)

    objects = MeetingQuerySet.as_manager()

    interest = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("declaration"))
    buyer = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="meetings_as_buyer", verbose_name=_("buyer"))
    supplier = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="meetings_as_supplier", verbose_name=_("supplier")
    )
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    room = models.ForeignKey(
        MeetingRoom, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings", verbose_name=_("room")
    )
    video_url = models.URLField(_("video link"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("proposed by"),
    )
    expires_at = models.DateTimeField(_("proposal expires at"), null=True, blank=True)
    # Whose answer a proposal waits for: the side that did not propose it (either side when
    # staff proposed it for them).
    proposer_side = models.CharField(_("proposed by side"), max_length=10, choices=Side.choices, default=Side.STAFF)
    replaces = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("counter-proposal to"),
    )
    response_note = models.CharField(_("note with the answer"), max_length=300, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    # The SEQUENCE of its calendar files: raised by the services with every change a
    # calendar shows, so a later file (a cancellation) always replaces an earlier one.
    calendar_sequence = models.PositiveIntegerField(_("calendar revision"), default=0, db_default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["status", "expires_at"], name="meeting_status_expiry_idx")]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start",
                violation_error_message=_("A meeting must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(mode="in_person", room__isnull=False) | Q(mode="video", room__isnull=True),
                name="meeting_room_matches_mode",
                violation_error_message=_("An in-person meeting needs a room; a video meeting has none."),
            ),
            models.CheckConstraint(
                condition=~Q(buyer=F("supplier")), name="meeting_two_different_companies",
                violation_error_message=_("A company cannot meet itself."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.buyer} × {self.supplier} · {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_started(self) -> bool:
        return self.starts_at <= timezone.now()


class MeetingSlotBooking(models.Model):
    """The time a live (proposed or confirmed) meeting holds: one row per participant,
    each of its two companies and its room.

    The database keeps these rows itself: a trigger on Meeting writes them when a meeting
    is live and deletes them when it stops being live or moves, and the database refuses
    two rows of one company or one room whose times overlap, whatever the slot length or
    the opening hour (an exclusion constraint over a time range on PostgreSQL, triggers on
    SQLite; see migration 0005_meeting_overlap_guard). A company is buyer in one meeting
    and supplier in another, so a constraint on Meeting's own columns could not see that
    clash. No path (service, admin, bulk update, raw SQL) can double-book."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="bookings")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    room = models.ForeignKey(MeetingRoom, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    class Meta:
        verbose_name = _("meeting slot booking")
        verbose_name_plural = _("meeting slot bookings")
        constraints = [
            models.CheckConstraint(
                condition=Q(company__isnull=False, room__isnull=True) | Q(company__isnull=True, room__isnull=False),
                name="booking_company_xor_room",
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="booking_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.company or self.room} @ {self.starts_at:%Y-%m-%d %H:%M}"


class Outcome(TypedTextModel, models.Model):
    TYPED_TEXT_FIELDS = ("notes",)

    class Result(models.TextChoices):
        NO_DEAL = "no_deal", _("No deal")
        FOLLOW_UP = "follow_up", _("Follow-up")
        CONTRACT_SIGNED = "contract_signed", _("Contract signed")

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="outcome", verbose_name=_("meeting"))
    result = models.CharField(_("result"), max_length=16, choices=Result.choices)
    contract_value_rials = models.PositiveBigIntegerField(_("contract value (rials)"), null=True, blank=True)
    annual_quantity = models.DecimalField(
        _("annual quantity"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(result="contract_signed")
                | Q(contract_value_rials__isnull=False, signed_on__isnull=False),
                name="outcome_contract_has_value_and_date",
                violation_error_message=_("A signed contract needs its value and signing date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.get_result_display()}"


RATE_MUST_BE_POSITIVE = _("The rate must be a positive number of rials per US dollar.")


class ExchangeRate(models.Model):
    """How many rials bought one US dollar from a date on, kept by national staff.

    A contract is converted at the rate of its signing date: the latest rate effective on
    or before that day (matchmaking.selectors.fx_saved); a contract signed before the first
    rate has no dollar value and is counted as such."""

    effective_on = models.DateField(_("effective from"), unique=True)
    rials_per_usd = models.PositiveBigIntegerField(
        _("rials per US dollar"),
        validators=[MinValueValidator(1, message=RATE_MUST_BE_POSITIVE)],
    )
    source = models.CharField(
        _("source or note"), max_length=200, blank=True,
        help_text=_("Where the rate comes from, e.g. the central bank's published rate."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-effective_on"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.CheckConstraint(
                condition=Q(rials_per_usd__gt=0), name="exchange_rate_positive",
                violation_error_message=RATE_MUST_BE_POSITIVE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.effective_on:%Y-%m-%d}: {self.rials_per_usd:,} IRR/USD"


class Invitation(models.Model):
    """A buyer's member (or staff serving the need's province) invites a suggested supplier
    to declare readiness for a need; once per need and supplier
    (matchmaking.services.invitations)."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("need"))
    supplier = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("supplier")
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation to declare")
        verbose_name_plural = _("invitations to declare")
        constraints = [
            models.UniqueConstraint(
                fields=["need", "supplier"], name="invitation_one_per_need_and_supplier",
                violation_error_message=_("This supplier has already been invited to declare for this need."),
            ),
        ]
        indexes = [models.Index(fields=["supplier", "-created_at"], name="invitation_supplier_idx")]

    def __str__(self) -> str:
        return f"{self.need} → {self.supplier}"
