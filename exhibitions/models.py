import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.collation import persian
from core.dependents import DependentChecks
from core.i18n import BilingualNameMixin, is_persian

# Rules of higher apps (needs, tours) that a change of an exhibition or a shelf could break;
# those apps register their checks here (core/dependents.py).
exhibition_checks = DependentChecks()
shelf_checks = DependentChecks()
# Run before a user is made provincial staff (add_province_staff): companies refuses an
# account that acts for a company, since staff never act as a company's member.
staff_grant_checks = DependentChecks()


class Province(BilingualNameMixin, models.Model):
    """One of Iran's 31 provinces. Loaded by a data migration; the slugs are a contract."""

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name_fa = models.CharField(_("Persian name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=60)
    # Position in the tile map of /stats/ (column, row), roughly geographic.
    map_col = models.PositiveSmallIntegerField(_("map column"), default=0)
    map_row = models.PositiveSmallIntegerField(_("map row"), default=0)

    class Meta:
        ordering = [persian("name_fa")]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")


class IndustrialTown(BilingualNameMixin, models.Model):
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="towns", verbose_name=_("province"))
    name_fa = models.CharField(_("Persian name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)

    class Meta:
        ordering = [persian("province__name_fa"), persian("name_fa")]
        verbose_name = _("industrial town")
        verbose_name_plural = _("industrial towns")
        constraints = [models.UniqueConstraint(fields=["province", "name_fa"], name="town_unique_name_in_province")]


class ExhibitionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Exhibition.Status.OPEN)


class Exhibition(models.Model):
    """A permanent exhibition in the business and technology service centre of a town."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        EQUIPPING = "equipping", _("Equipping")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="exhibitions", verbose_name=_("province")
    )
    town = models.ForeignKey(
        IndustrialTown, on_delete=models.PROTECT, related_name="exhibitions", verbose_name=_("industrial town")
    )
    title_fa = models.CharField(_("Persian title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    venue_fa = models.CharField(_("venue (Persian)"), max_length=200, help_text=_("The service centre hosting it."))
    venue_en = models.CharField(_("venue (English)"), max_length=200, blank=True)
    address_fa = models.CharField(_("address (Persian)"), max_length=300, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)
    opening_hours_fa = models.CharField(_("opening hours (Persian)"), max_length=200, blank=True)
    opening_hours_en = models.CharField(_("opening hours (English)"), max_length=200, blank=True)
    opens_at = models.TimeField(_("opens at"), default=datetime.time(8, 0))
    closes_at = models.TimeField(_("closes at"), default=datetime.time(16, 0))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED, db_index=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    is_pilot = models.BooleanField(_("pilot province"), default=False)
    visitor_capacity = models.PositiveIntegerField(
        _("visitor capacity"), default=60, validators=[MinValueValidator(1)],
        help_text=_("How many visitors the hall holds at one time."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    objects = ExhibitionQuerySet.as_manager()

    class Meta:
        ordering = [persian("province__name_fa"), persian("title_fa")]
        verbose_name = _("exhibition")
        verbose_name_plural = _("exhibitions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="open") | Q(opened_on__isnull=False),
                name="exhibition_open_has_opening_date",
                violation_error_message=_("An open exhibition needs its opening date."),
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="exhibition_closes_after_opening",
                violation_error_message=_("The closing time must be after the opening time."),
            ),
            models.CheckConstraint(
                condition=Q(visitor_capacity__gte=1),
                name="exhibition_capacity_positive",
                violation_error_message=_("The visitor capacity must be at least one."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.title_fa if is_persian() else (self.title_en or self.title_fa)

    @property
    def venue(self) -> str:
        return self.venue_fa if is_persian() else (self.venue_en or self.venue_fa)

    @property
    def address(self) -> str:
        return self.address_fa if is_persian() else (self.address_en or self.address_fa)

    @property
    def opening_hours(self) -> str:
        return self.opening_hours_fa if is_persian() else (self.opening_hours_en or self.opening_hours_fa)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def clean(self):
        super().clean()
        if self.town_id and self.province_id and self.town.province_id != self.province_id:
            raise ValidationError({"town": _("The industrial town must be in the exhibition's province.")})
        exhibition_checks.run(self)


class Shelf(models.Model):
    """A shelf in an exhibition hall; samples sit at numbered positions on it."""

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="shelves", verbose_name=_("exhibition"))
    code = models.CharField(_("shelf code"), max_length=20, help_text=_("As painted on the shelf, e.g. A-03."))
    positions = models.PositiveSmallIntegerField(_("positions"), default=12, validators=[MinValueValidator(1)])
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        ordering = ["exhibition", "code"]
        verbose_name = _("shelf")
        verbose_name_plural = _("shelves")
        constraints = [
            models.UniqueConstraint(
                fields=["exhibition", "code"], name="shelf_code_unique_in_exhibition",
                violation_error_message=_("This exhibition already has a shelf with this code."),
            ),
            models.CheckConstraint(condition=Q(positions__gte=1), name="shelf_has_positions"),
        ]

    def __str__(self) -> str:
        return f"{self.exhibition} · {self.code}"

    def clean(self):
        super().clean()
        shelf_checks.run(self)


class MeetingRoom(models.Model):
    exhibition = models.ForeignKey(
        Exhibition, on_delete=models.CASCADE, related_name="meeting_rooms", verbose_name=_("exhibition")
    )
    name = models.CharField(_("name"), max_length=100)
    seats = models.PositiveSmallIntegerField(_("seats"), default=6, validators=[MinValueValidator(2)])
    has_video = models.BooleanField(_("video conferencing equipment"), default=False)

    class Meta:
        ordering = ["exhibition", persian("name")]
        verbose_name = _("meeting room")
        verbose_name_plural = _("meeting rooms")
        constraints = [models.UniqueConstraint(fields=["exhibition", "name"], name="room_name_unique_in_exhibition")]

    def __str__(self) -> str:
        return f"{self.exhibition} · {self.name}"


class StaffProvince(models.Model):
    """A staff user serves these provinces in the admin (national staff need none)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_provinces", verbose_name=_("user")
    )
    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="staff", verbose_name=_("province"))

    class Meta:
        verbose_name = _("staff province assignment")
        verbose_name_plural = _("staff province assignments")
        constraints = [models.UniqueConstraint(fields=["user", "province"], name="staff_province_unique")]

    def __str__(self) -> str:
        return f"{self.user} → {self.province}"
