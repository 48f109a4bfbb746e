from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from companies.models import Company, Sector
from companies.selectors import approved_company_ids
from core.collation import persian
from core.i18n import is_persian
from core.text import TypedTextModel, normalize_digits, normalize_text
from exhibitions.models import Exhibition, Province, Shelf
from exhibitions.selectors import staff_serves
from needs.photos import PhotoField


class HsCodeField(models.CharField):
    """A Harmonized System code, 4 to 10 digits, stored with ASCII digits."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        super().__init__(*args, **kwargs)

    @staticmethod
    def normalize(value):
        if value is None:
            return value
        return "".join(ch for ch in normalize_digits(str(value)) if ch not in " .-")

    def to_python(self, value):
        return self.normalize(super().to_python(value))

    def get_prep_value(self, value):
        return self.normalize(super().get_prep_value(value))


validate_hs_code = RegexValidator(r"^[0-9]{4,10}$", _("An HS code has 4 to 10 digits."), code="hs_code")

ORIGIN_COUNTRIES = [
    ("CN", _("China")),
    ("DE", _("Germany")),
    ("IT", _("Italy")),
    ("TR", _("Türkiye")),
    ("IN", _("India")),
    ("KR", _("South Korea")),
    ("JP", _("Japan")),
    ("AE", _("United Arab Emirates")),
    ("RU", _("Russia")),
    ("FR", _("France")),
    ("ES", _("Spain")),
    ("US", _("United States")),
    ("TW", _("Taiwan")),
    ("MY", _("Malaysia")),
    ("OT", _("Other")),
]


class Unit(models.TextChoices):
    KG = "kg", _("kilogram")
    TON = "ton", _("tonne")
    PIECE = "piece", _("piece")
    SET = "set", _("set")
    METRE = "m", _("metre")
    SQUARE_METRE = "m2", _("square metre")
    LITRE = "litre", _("litre")


class NeedStatus(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    ON_DISPLAY = "on_display", _("On display")
    IN_TALKS = "in_talks", _("In talks")
    CONTRACTED = "contracted", _("Contracted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The lifecycle of docs/design.md section 3: where a need may go from each status.
NEED_TRANSITIONS: dict[str, set[str]] = {
    NeedStatus.IDENTIFIED: {NeedStatus.ON_DISPLAY, NeedStatus.WITHDRAWN},
    NeedStatus.ON_DISPLAY: {NeedStatus.IN_TALKS, NeedStatus.IDENTIFIED, NeedStatus.WITHDRAWN},
    NeedStatus.IN_TALKS: {NeedStatus.CONTRACTED, NeedStatus.ON_DISPLAY, NeedStatus.WITHDRAWN},
    NeedStatus.CONTRACTED: set(),
    NeedStatus.WITHDRAWN: {NeedStatus.IDENTIFIED},
}

# Statuses in which the sample is shown at its shelf place and the need is public.
DISPLAYED_STATUSES = (NeedStatus.ON_DISPLAY, NeedStatus.IN_TALKS, NeedStatus.CONTRACTED)
PUBLIC_STATUSES = DISPLAYED_STATUSES
# What the public may see, as a filter of needs (and of NeedRollup, which has the same two
# columns): a public status and the buyer's consent. Need.is_public says it of one need.
PUBLIC = Q(status__in=PUBLIC_STATUSES, display_consent=True)


class NeedQuerySet(models.QuerySet):
    def public(self):
        """What the public catalogue shows: needs whose sample is on a shelf, with consent."""
        return self.filter(PUBLIC)

    def with_list_related(self):
        return self.select_related("sector", "province", "buyer", "exhibition", "shelf")


class Need(TypedTextModel, models.Model):
    """An import-substitution need of a buyer company, with its sample's shelf place."""

    Status = NeedStatus

    buyer = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="needs", verbose_name=_("buyer company"))
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="needs", verbose_name=_("province"),
        help_text=_("The province that identified the need; its exhibition shows the sample."),
    )
    title = models.CharField(_("title (Persian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description (Persian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="needs", verbose_name=_("sector"))
    hs_code = HsCodeField(_("HS code"), validators=[validate_hs_code], db_index=True)
    annual_quantity = models.DecimalField(
        _("annual quantity"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.PIECE)
    annual_fx_usd = models.DecimalField(
        _("annual FX value (USD)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)],
        help_text=_("Estimated foreign currency spent on this import each year, in US dollars."),
    )
    origin_country = models.CharField(_("origin country"), max_length=2, choices=ORIGIN_COUNTRIES, default="CN")
    exhibition = models.ForeignKey(
        Exhibition, on_delete=models.PROTECT, null=True, blank=True, related_name="needs",
        verbose_name=_("exhibition"),
    )
    shelf = models.ForeignKey(
        Shelf, on_delete=models.PROTECT, null=True, blank=True, related_name="needs", verbose_name=_("shelf")
    )
    shelf_position = models.PositiveSmallIntegerField(_("shelf position"), null=True, blank=True)
    display_consent = models.BooleanField(
        _("consent to display"), default=False,
        help_text=_("The company agreed that its sample is shown in the exhibition and the catalogue."),
    )
    is_anonymous = models.BooleanField(
        _("anonymous"), default=False, help_text=_("Show the buyer only as a manufacturer in its province.")
    )
    status = models.CharField(_("status"), max_length=12, choices=NeedStatus.choices, default=NeedStatus.IDENTIFIED)
    identified_on = models.DateField(_("identified on"))
    # When the sample first went on display (the funnel's second step): set by save() the
    # first time the need is stored on display, on every path, and kept when it later
    # leaves and comes back.
    displayed_at = models.DateTimeField(_("first on display at"), null=True, blank=True, editable=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("entered by"),
    )
    search_text = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = NeedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        indexes = [
            models.Index(fields=["status", "-annual_fx_usd"], name="need_status_fx_idx"),
            models.Index(fields=["province", "status"], name="need_province_status_idx"),
            models.Index(fields=["sector", "status"], name="need_sector_status_idx"),
            models.Index(fields=["exhibition", "status"], name="need_exhibition_status_idx"),
            models.Index(fields=["annual_fx_usd"], name="need_fx_idx"),
            # The catalogue's "Title (A to Z)": Persian titles in Persian order (core.collation).
            models.Index(persian("title"), "id", name="need_title_idx"),
            models.Index("title_en", persian("title"), "id", name="need_title_en_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(annual_fx_usd__gte=0),
                name="need_fx_not_negative",
                violation_error_message=_("The annual FX value cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(annual_quantity__gte=0),
                name="need_quantity_not_negative",
                violation_error_message=_("The annual quantity cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(hs_code__regex=r"^[0-9]{4,10}$"),
                name="need_hs_code_digits",
                violation_error_message=_("An HS code has 4 to 10 digits."),
            ),
            models.UniqueConstraint(
                fields=["shelf", "shelf_position"],
                name="need_one_sample_per_shelf_place",
                violation_error_message=_("Another need's sample already sits at this shelf place."),
            ),
            models.CheckConstraint(
                condition=Q(shelf__isnull=True, shelf_position__isnull=True)
                | Q(shelf__isnull=False, shelf_position__isnull=False, exhibition__isnull=False),
                name="need_shelf_place_complete",
                violation_error_message=_("A shelf place needs the exhibition, the shelf and the position."),
            ),
            models.CheckConstraint(
                condition=~Q(status=NeedStatus.ON_DISPLAY)
                | Q(display_consent=True, shelf__isnull=False, shelf_position__isnull=False),
                name="need_on_display_has_consent_and_place",
                violation_error_message=_(
                    "A need can only be on display with the company's consent and a shelf place."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title if is_persian() else (self.title_en or self.title)

    @property
    def display_description(self) -> str:
        return self.description if is_persian() else (self.description_en or self.description)

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES and self.display_consent

    # --- how the buyer may be shown: the one home of the anonymity rule (docs/design.md 3) ---
    def public_buyer_label(self) -> str:
        """The buyer as anyone may see it (public pages, the API, the supplier's mail and
        calendar files): its name, or "a manufacturer in <province>" when anonymous."""
        if self.is_anonymous:
            return gettext("a manufacturer in %(province)s") % {"province": self.province.name}
        return self.buyer.name

    def reveals_buyer_to(self, user) -> bool:
        """Whether `user` may know who the buyer is: always for a named buyer; for an
        anonymous one only its own approved members and staff serving the need's province.
        The look-ups are cached on the user, so a list of needs costs two queries a viewer."""
        if not self.is_anonymous:
            return True
        if user is None or not user.is_authenticated:
            return False
        return (
            self.buyer_id in approved_company_ids(user)
            or staff_serves(user, self.province_id)
            or self.pk in revealed_need_ids(user)
        )

    def buyer_label_for(self, user=None) -> str:
        """The buyer as `user` may see it (the public label for None)."""
        return self.buyer.name if self.reveals_buyer_to(user) else self.public_buyer_label()

    def build_search_text(self) -> str:
        """Everything the catalogue's free text matches, in one normalised column, so that a
        single trigram index answers the search: titles, descriptions, HS code, the buyer
        (unless anonymous) and the sector and province names ("قطعات خودرو اصفهان")."""
        buyer_names = "" if self.is_anonymous else f"{self.buyer.name_fa} {self.buyer.name_en}"
        return normalize_text(
            " ".join([
                self.title, self.title_en, self.description, self.description_en, self.hs_code, buyer_names,
                self.sector.name_fa, self.sector.name_en, self.province.name_fa, self.province.name_en,
            ])
        )

    TYPED_TEXT_FIELDS = ("title", "title_en", "description", "description_en")

    def clean(self):
        super().clean()  # TypedTextModel: the typed fields as typed, with Persian ی and ک
        errors = {}
        if self.buyer_id and self.province_id and self.buyer.province_id != self.province_id:
            errors["province"] = _("The need's province must be its buyer company's province.")
        if self.buyer_id and not self.buyer.is_buyer:
            errors["buyer"] = _("This company is not registered as a buyer.")
        if self.shelf_id and self.exhibition_id and self.shelf.exhibition_id != self.exhibition_id:
            errors["shelf"] = _("This shelf belongs to another exhibition.")
        if self.shelf_id and self.shelf_position and self.shelf_position > self.shelf.positions:
            errors["shelf_position"] = _("This shelf has only %(n)s positions.") % {"n": self.shelf.positions}
        if self.shelf_position is not None and self.shelf_position < 1:
            errors["shelf_position"] = _("Positions are numbered from 1.")
        if self.exhibition_id and self.province_id and self.exhibition.province_id != self.province_id:
            errors["exhibition"] = _("The sample can only be shown in an exhibition of the need's own province.")
        if self.status == NeedStatus.ON_DISPLAY:
            if not self.display_consent:
                errors["display_consent"] = _("A need can only be on display with the company's consent.")
            if not (self.shelf_id and self.shelf_position):
                errors.setdefault("shelf", _("A need on display needs a shelf and a position."))
            if self.exhibition_id and not self.exhibition.is_open:
                errors.setdefault("exhibition", _("A need can only be on display in an open exhibition."))
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # The search column is derived data kept beside the row it indexes.
        self.search_text = self.build_search_text()
        if self.status == NeedStatus.ON_DISPLAY and self.displayed_at is None:
            self.displayed_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "displayed_at"}
        super().save(*args, **kwargs)


class NeedPhoto(models.Model):
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="photos", verbose_name=_("need"))
    # Validated, re-encoded without metadata and renamed on every path (needs/photos.py).
    image = PhotoField(
        _("image"), upload_to="needs/%Y/%m/", thumbnail_field="thumbnail",
        help_text=_("A JPEG, PNG or WebP photo of the sample, up to 10 MB."),
    )
    thumbnail = models.ImageField(_("thumbnail"), upload_to="needs/thumbs/%Y/%m/", blank=True, editable=False)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_primary = models.BooleanField(_("primary photo"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["need", "-is_primary", "order", "id"]
        verbose_name = _("need photo")
        verbose_name_plural = _("need photos")
        constraints = [
            models.UniqueConstraint(
                fields=["need"], condition=Q(is_primary=True), name="need_one_primary_photo",
                violation_error_message=_("A need has only one primary photo."),
            )
        ]

    def __str__(self) -> str:
        return self.caption or f"{self.need} #{self.order}"


class BuyerReveal(models.Model):
    """An anonymous buyer made itself known to one supplier company (needs.services.
    need_reveal_buyer): that company's approved members see the buyer's name from then on
    (Need.reveals_buyer_to); everyone else still sees "a manufacturer in <province>"."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="reveals", verbose_name=_("need"))
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+", verbose_name=_("revealed to"))
    revealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("revealed by"),
    )
    revealed_at = models.DateTimeField(_("revealed at"), default=timezone.now)

    class Meta:
        verbose_name = _("buyer reveal")
        verbose_name_plural = _("buyer reveals")
        constraints = [models.UniqueConstraint(fields=["need", "company"], name="buyer_reveal_once_per_company")]

    def __str__(self) -> str:
        return f"{self.need_id} → {self.company_id}"


def revealed_need_ids(user) -> frozenset[int]:
    """The needs whose anonymous buyer revealed itself to a company `user` acts for; cached
    on the user object for the request (one query a viewer, none without a company)."""
    companies = approved_company_ids(user)
    if not companies:
        return frozenset()
    cached = getattr(user, "_revealed_need_ids", None)
    if cached is None:
        cached = frozenset(BuyerReveal.objects.filter(company_id__in=companies).values_list("need_id", flat=True))
        user._revealed_need_ids = cached
    return cached


class NeedRollup(models.Model):
    """How many needs there are, and their annual FX, per province, sector, exhibition,
    status and display consent: kept exact by the database (triggers on needs_need, on every
    write path, migration needs/0009), so the catalogue's totals cost the same at any number
    of needs. Never written by the application. `exhibition_key` is the exhibition's id, 0
    for a need at no exhibition. needs.selectors.need_totals reads it."""

    province = models.ForeignKey(Province, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    sector = models.ForeignKey(Sector, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    exhibition_key = models.BigIntegerField()
    status = models.CharField(max_length=12)
    display_consent = models.BooleanField()
    needs = models.BigIntegerField(default=0)
    annual_fx_usd = models.DecimalField(max_digits=22, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["province", "sector", "exhibition_key", "status", "display_consent"], name="need_rollup_group",
            ),
        ]

