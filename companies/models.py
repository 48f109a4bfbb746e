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
    TYPED_TEXT_FIELDS = ("name_fa", "name_en", "capabilities", "production_capacity", "machinery")

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
    # The capability profile (with its products and certificates below).
    production_capacity = models.TextField(
        _("production capacity"), blank=True, default="", db_default="",
        help_text=_("What the firm can produce in a year or a month, e.g. 200,000 bearings a year."),
    )
    machinery = models.TextField(
        _("machinery"), blank=True, default="", db_default="", help_text=_("Its main machines and lines, e.g. 12 CNC lathes."),
    )
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


# --- the capability profile of a supplier ---------------------------------------------------
# Products with their HS codes, certificates, and (on Company) production capacity and
# machinery. Written by companies.services (members on the site) and the admin (staff);
# shown on the public supplier page and /api/companies/; matchmaking.selectors reads the HS
# codes for its suggestions.

HS_CODE_PATTERN = r"^[0-9]{2,10}$"
CERTIFICATE_MAX_BYTES = 5 * 1024 * 1024


def normalize_hs_code(value) -> str:
    """An HS code as stored: ASCII digits only (Persian or Arabic digits, spaces, dots and
    hyphens as typed are fine)."""
    from core.text import normalize_number

    text = normalize_number(str(value or ""))
    return "".join(ch for ch in text if ch not in " .-\u200c")


def validate_hs_code(value: str) -> None:
    import re

    if not re.fullmatch(HS_CODE_PATTERN, value or ""):
        raise ValidationError(_("An HS code has 2 to 10 digits."), code="hs_code")


def parse_hs_codes(text) -> list[str]:
    """A list of HS codes typed one after another (commas, Persian commas, spaces or new
    lines between them), normalised and each checked; duplicates dropped, order kept."""
    import re

    codes: list[str] = []
    for part in re.split(r"[,،;؛\s]+", str(text or "")):
        code = normalize_hs_code(part)
        if not code:
            continue
        validate_hs_code(code)
        if code not in codes:
            codes.append(code)
    return codes


def _upload_of(value):
    """The not-yet-stored upload behind a form value or FieldFile (None once stored)."""
    if not value:
        return None
    if isinstance(value, models.fields.files.FieldFile):
        return None if value._committed else value.file
    return value


def validate_product_photo(value) -> None:
    """A product photo is an image by its content (core.images)."""
    from core.images import open_image

    upload = _upload_of(value)
    if upload is not None:
        open_image(upload)


PDF_MESSAGE = _("This file is neither a PDF nor a JPEG, PNG or WebP image.")


def certificate_file_kind(upload) -> str:
    """"pdf" or "image" by the file's content (never its name), or ValidationError: a PDF
    starts with its header and ends with its end-of-file marker; an image passes core.images.
    Either is at most CERTIFICATE_MAX_BYTES."""
    from core.images import megabytes, open_image, upload_size

    size = upload_size(upload)
    if size > CERTIFICATE_MAX_BYTES:
        raise ValidationError(
            _("This file is %(size)s MB; the largest accepted is %(max)s MB."), code="file_too_large",
            params={"size": megabytes(size), "max": megabytes(CERTIFICATE_MAX_BYTES)},
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    upload.seek(0)
    head = upload.read(8)
    if head.startswith(b"%PDF-"):
        upload.seek(max(size - 1024, 0))
        tail = upload.read()
        upload.seek(0)
        if b"%%EOF" not in tail:
            raise ValidationError(_("This PDF file is damaged or incomplete; please upload it again."), code="pdf_damaged")
        return "pdf"
    upload.seek(0)
    try:
        open_image(upload, max_bytes=CERTIFICATE_MAX_BYTES)
    except ValidationError as error:
        if error.code == "photo_not_image":
            raise ValidationError(PDF_MESSAGE, code="not_pdf_or_image") from None
        raise
    return "image"


def validate_certificate_file(value) -> None:
    upload = _upload_of(value)
    if upload is not None:
        certificate_file_kind(upload)


def _store_fresh(field_file, *, image: bool) -> None:
    """Before a file is first stored: an image is re-encoded without metadata (core.images),
    a PDF kept as is; either under a random name. Stored files are left alone."""
    import uuid

    from django.core.files.base import ContentFile

    from core.images import decode, reencode

    upload = _upload_of(field_file)
    if upload is None:
        return
    stem = uuid.uuid4().hex
    if image:
        picture, fmt = decode(upload)
        _clean, content, extension = reencode(picture, fmt)
    else:
        upload.seek(0)
        content, extension = upload.read(), "pdf"
    field_file.save(f"{stem}.{extension}", ContentFile(content), save=False)


class Product(TypedTextModel, models.Model):
    """A product a supplier makes, with its HS codes (ProductHsCode) and an optional photo."""

    TYPED_TEXT_FIELDS = ("name_fa", "name_en")

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="products", verbose_name=_("company"))
    name_fa = models.CharField(_("Persian name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    photo = models.ImageField(
        _("photo"), upload_to="companies/products/%Y/%m/", blank=True, validators=[validate_product_photo],
        help_text=_("A JPEG, PNG or WebP photo, up to 10 MB."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_fa if is_persian() else (self.name_en or self.name_fa)

    def save(self, *args, **kwargs):
        _store_fresh(self.photo, image=True)
        super().save(*args, **kwargs)


class ProductHsCode(models.Model):
    """One HS code of a product, normalised (2 to 10 ASCII digits), one row per code so a
    prefix (subheading, heading, chapter) is an indexed range query."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="hs_codes", verbose_name=_("product"))
    code = models.CharField(_("HS code"), max_length=10, validators=[validate_hs_code], db_index=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("HS code")
        verbose_name_plural = _("HS codes")
        constraints = [
            models.UniqueConstraint(fields=["product", "code"], name="product_hs_code_once"),
            models.CheckConstraint(
                condition=Q(code__regex=HS_CODE_PATTERN), name="product_hs_code_digits",
                violation_error_message=_("An HS code has 2 to 10 digits."),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs):
        self.code = normalize_hs_code(self.code)
        super().save(*args, **kwargs)


class Certificate(TypedTextModel, models.Model):
    """A certificate a supplier holds, with its expiry date and an optional scan (PDF or
    image, checked by content, at most CERTIFICATE_MAX_BYTES, stored under a random name)."""

    TYPED_TEXT_FIELDS = ("number", "issuer", "title")

    class Kind(models.TextChoices):
        STANDARD_MARK = "standard_mark", _("Iranian standard mark")
        ISO_9001 = "iso_9001", _("ISO 9001")
        ISO_14001 = "iso_14001", _("ISO 14001")
        IATF_16949 = "iatf_16949", _("ISO/TS 16949 / IATF 16949")
        OTHER = "other", _("Other")

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="certificates", verbose_name=_("company")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True, help_text=_("For another kind: what it certifies."))
    number = models.CharField(_("certificate number"), max_length=100, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    file = models.FileField(
        _("file"), upload_to="companies/certificates/%Y/%m/", blank=True, validators=[validate_certificate_file],
        help_text=_("A PDF or a JPEG, PNG or WebP image, up to 5 MB."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.kind == self.Kind.OTHER and self.title:
            return self.title
        return str(self.get_kind_display())

    def is_expired(self, today=None) -> bool:
        """Expired once its expiry date has passed (valid through that day)."""
        if self.expires_on is None:
            return False
        return self.expires_on < (today or timezone.localdate())

    def clean(self):
        super().clean()
        if self.kind == self.Kind.OTHER and not (self.title or "").strip():
            raise ValidationError({"title": _("Say what this certificate certifies.")})

    def save(self, *args, **kwargs):
        if _upload_of(self.file) is not None:
            _store_fresh(self.file, image=certificate_file_kind(_upload_of(self.file)) == "image")
        super().save(*args, **kwargs)
