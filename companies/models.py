from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Mod, Ord, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.validators import (
    NATIONAL_ID_WEIGHTS,
    normalize_national_id,
    validate_national_id,
)
from core.collation import persian
from core.dependents import DependentChecks
from core.i18n import BilingualNameMixin, is_persian
from core.text import TypedTextModel, normalize_text
from exhibitions.models import IndustrialTown, Province

# Rules of higher apps (needs) that a change of a company could break; those apps register
# their checks here (core/dependents.py).
company_checks = DependentChecks()


class Sector(BilingualNameMixin, models.Model):
    """One of the programme's ten industrial sectors; loaded by a data migration."""

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name_fa = models.CharField(_("Persian name"), max_length=80)
    name_en = models.CharField(_("English name"), max_length=80)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    colour = models.CharField(_("colour"), max_length=7, default="#2f6f5e")

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")


class NationalIdField(models.CharField):
    """Stores the ID with ASCII digits whatever the user typed, on every path (forms, admin,
    ORM saves and lookups); validation and the database check agree on what is valid."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 11)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_national_id(value) if value is not None else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return normalize_national_id(value) if value is not None else value


def _digit(position: int):
    """The integer value of the character at `position` (1-based), without a cast that
    could fail on a non-digit: the regex half of the check rejects those."""
    return Ord(Substr("national_id", position, 1)) - Value(48)


def _national_id_remainder():
    decimal = _digit(10) + Value(2)
    total = sum(((_digit(i + 1) + decimal) * Value(w) for i, w in enumerate(NATIONAL_ID_WEIGHTS)), Value(0))
    return Mod(total, Value(11))


class CompanyQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(is_verified=True)

    def awaiting_verification(self):
        """Companies staff have neither verified nor refused: the verification queue."""
        return self.filter(is_verified=False, refused_at__isnull=True)

    def suppliers(self):
        return self.filter(is_supplier=True)

    def buyers(self):
        return self.filter(is_buyer=True)


class Company(TypedTextModel, models.Model):
    TYPED_TEXT_FIELDS = ("name_fa", "name_en", "capabilities")

    name_fa = models.CharField(_("Persian name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    national_id = NationalIdField(
        _("national ID"), unique=True, validators=[validate_national_id],
        help_text=_("The 11-digit national ID (شناسه ملی) of the legal entity."),
        error_messages={"unique": _("A company with this national ID is already registered.")},
    )
    is_buyer = models.BooleanField(_("buyer (has import needs)"), default=False)
    is_supplier = models.BooleanField(_("domestic supplier"), default=False)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="companies", verbose_name=_("province"))
    town = models.ForeignKey(
        IndustrialTown, on_delete=models.SET_NULL, null=True, blank=True, related_name="companies",
        verbose_name=_("industrial town"),
    )
    sectors = models.ManyToManyField(Sector, related_name="companies", blank=True, verbose_name=_("sectors"))
    capabilities = models.TextField(_("capabilities"), blank=True, help_text=_("What the firm makes and can make."))
    contact_person = models.CharField(_("contact person"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_verified = models.BooleanField(_("verified by staff"), default=False, db_index=True)
    # Verification is a queue: a company waits from `verification_requested_at` until staff
    # verify it or refuse it; a refusal (or a withdrawn verification) keeps its reason, when
    # and by whom, until the members edit the company and ask again (companies.services).
    verification_requested_at = models.DateTimeField(
        _("waiting for verification since"), default=timezone.now, null=True, editable=False
    )
    refused_at = models.DateTimeField(_("verification refused at"), null=True, blank=True, editable=False)
    refused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("verification refused by"),
    )
    refusal_reason = models.TextField(_("reason for refusal"), blank=True, default="", db_default="", editable=False)
    search_text = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CompanyQuerySet.as_manager()

    class Meta:
        ordering = [persian("name_fa")]
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        indexes = [
            models.Index(fields=["is_supplier", "is_verified", "province"], name="company_directory_idx"),
            models.Index(
                fields=["province", "verification_requested_at"], name="company_verification_queue_idx",
                condition=Q(is_verified=False, refused_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(national_id__regex=r"^[0-9]{11}$"),
                name="company_national_id_11_digits",
                violation_error_message=_("A national ID has exactly 11 digits."),
            ),
            models.CheckConstraint(
                # remainder % 10 maps a remainder of 10 to 0 and leaves 0..9 unchanged.
                condition=models.lookups.Exact(Mod(_national_id_remainder(), Value(10)), _digit(11)),
                name="company_national_id_check_digit",
                violation_error_message=_("This national ID is not valid: its check digit does not match."),
            ),
            models.CheckConstraint(
                condition=Q(is_buyer=True) | Q(is_supplier=True),
                name="company_is_buyer_or_supplier",
                violation_error_message=_("A company must be a buyer, a supplier or both."),
            ),
        ]

    def clean(self):
        """Rules that span fields, checked on every path that validates a company (the site's
        forms, the admin, imports); the database guards the buyer-or-supplier rule too. Names
        and capabilities are stored as typed, with Persian ی and ک."""
        super().clean()  # TypedTextModel: the typed fields as typed
        if not self.is_buyer and not self.is_supplier:
            raise ValidationError({"is_supplier": _("A company must be a buyer, a supplier or both.")})
        if self.town_id and self.province_id and self.town.province_id != self.province_id:
            raise ValidationError({"town": _("The industrial town must be in the company's province.")})
        company_checks.run(self)

    def __str__(self) -> str:
        return self.name

    @property
    def is_refused(self) -> bool:
        """Staff refused (or withdrew) its verification, and its members have not asked again."""
        return not self.is_verified and self.refused_at is not None

    @property
    def name(self) -> str:
        return self.name_fa if is_persian() else (self.name_en or self.name_fa)

    def build_search_text(self) -> str:
        return normalize_text(" ".join([self.name_fa, self.name_en, self.national_id, self.capabilities]))

    def save(self, *args, **kwargs):
        # The search column is derived data kept beside the row it indexes.
        self.national_id = normalize_national_id(self.national_id)
        self.search_text = self.build_search_text()
        super().save(*args, **kwargs)


class CompanyMember(models.Model):
    """A user who acts for a company on the site."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MEMBER = "member", _("Member")

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="members", verbose_name=_("company"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="company_memberships", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    is_approved = models.BooleanField(_("approved"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("company member")
        verbose_name_plural = _("company members")
        # One account acts for one company: at most one membership (approved or pending)
        # per user, on every path (companies.services words the refusal).
        constraints = [models.UniqueConstraint(fields=["user"], name="company_member_one_per_user")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.company}"
