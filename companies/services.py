"""Writes on companies and their members: registration, join requests, verification (the
queue: verify, refuse with a reason, ask again), and the capability profile (products with
their HS codes, certificates, production capacity and machinery).

Views, the admin and commands call these; none of them repeats the rules."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Certificate, Company, CompanyMember, Product, ProductHsCode, parse_hs_codes
from companies.policies import (
    ensure_acts_for_no_company,
    ensure_may_become_member,
    ensure_may_edit_profile,
    ensure_may_manage_members,
    ensure_may_request_verification,
    ensure_may_verify,
    has_a_company,
    may_request_verification,
)
from companies.tasks import notify_company_refused, notify_company_unverified, notify_company_verified
from companies.validators import normalize_national_id
from core.text import normalize_typed_text


def _create_membership(**fields) -> CompanyMember:
    """Store a user's one membership. The database allows one per user: when a concurrent
    request stored one first, the user reads the policy's refusal, not an error page."""
    try:
        with transaction.atomic():
            return CompanyMember.objects.create(**fields)
    except IntegrityError:
        raise has_a_company() from None


@transaction.atomic
def company_register(*, user, company: Company, sectors=()) -> Company:
    """Register a new company with `user` as its approved owner.

    The company starts unverified: provincial staff verify it before it can act. The
    company and the membership are stored together or not at all."""
    ensure_acts_for_no_company(user)
    company.is_verified = False
    company.full_clean()
    try:
        with transaction.atomic():
            company.save()
    except IntegrityError:
        # Two registrations of one national ID raced past full_clean's uniqueness check.
        raise ValidationError({"national_id": _("A company with this national ID is already registered.")})
    company.sectors.set(sectors)
    _create_membership(company=company, user=user, role=CompanyMember.Role.OWNER, is_approved=True)
    return company


@transaction.atomic
def company_join_request(*, user, national_id: str) -> CompanyMember:
    """Ask to act for an existing company, found by its national ID (any digits).

    The request waits until an owner of the company or staff approves it."""
    ensure_acts_for_no_company(user)
    company = Company.objects.filter(national_id=normalize_national_id(national_id)).first()
    if company is None:
        raise ValidationError(
            {"national_id": _("No company with this national ID is registered. Register it instead.")}
        )
    return _create_membership(company=company, user=user, role=CompanyMember.Role.MEMBER, is_approved=False)


@transaction.atomic
def company_member_approve(*, member: CompanyMember, by) -> CompanyMember:
    """An approved owner of the company, or staff of its province, lets a requesting user
    act for it. A staff account is never approved into a company; a user never has a
    second membership to approve (the database keeps one per user)."""
    ensure_may_manage_members(by, member.company)
    ensure_may_become_member(member.user)
    member.is_approved = True
    member.save(update_fields=["is_approved"])
    return member


@transaction.atomic
def company_member_reject(*, member: CompanyMember, by) -> None:
    """An approved owner, or staff of the company's province, turns down a pending join
    request; the user may ask again."""
    ensure_may_manage_members(by, member.company)
    if member.is_approved:
        raise ValidationError(_("This member is already approved."))
    member.delete()


def clean_refusal_reason(reason) -> str:
    """A refusal's (or a withdrawal's) reason as stored (normalize_typed_text); refused when
    nothing is left, since the company's members read it in their mail and on their account
    page. The refusal service and the reason forms (queue, withdraw action) ask it."""
    reason = normalize_typed_text(reason)
    if not reason.replace("\u200c", "").strip():
        raise ValidationError(
            {"reason": _("Give the reason: the company's members read it in their mail and on their account page.")},
            code="no_reason",
        )
    return reason


def _record_refusal(locked: Company, *, by, reason: str) -> None:
    """Out of the queue, with the reason, when and by whom, until the members ask again."""
    locked.is_verified = False
    locked.refused_at = timezone.now()
    locked.refused_by = by
    locked.refusal_reason = reason
    locked.save(update_fields=["is_verified", "refused_at", "refused_by", "refusal_reason", "updated_at"])


@transaction.atomic
def company_verify(*, company: Company, by, verified: bool = True, reason: str = "") -> Company:
    """Staff of the company's province confirm (or withdraw) that it is who it says it is;
    only verified companies declare readiness, propose meetings or record outcomes.

    The row is locked, so two staff verifying at once change it (and mail its members)
    once. Each approved member is mailed after commit when the company is verified, and
    when its verification is withdrawn (with the staff member's `reason`, if given). A
    withdrawn verification is kept like a refusal: out of the queue until the members ask
    again (`company_request_verification`); verifying clears a refusal."""
    ensure_may_verify(by, company)
    locked = Company.objects.select_for_update().get(pk=company.pk)
    if locked.is_verified != verified:
        if verified:
            locked.is_verified = True
            locked.refused_at, locked.refused_by, locked.refusal_reason = None, None, ""
            locked.save(update_fields=["is_verified", "refused_at", "refused_by", "refusal_reason", "updated_at"])
            transaction.on_commit(lambda: notify_company_verified.enqueue(locked.pk))
        else:
            reason = normalize_typed_text(reason)
            _record_refusal(locked, by=by, reason=reason)
            transaction.on_commit(lambda: notify_company_unverified.enqueue(locked.pk, reason))
    company.is_verified = locked.is_verified
    return locked


@transaction.atomic
def company_refuse_verification(*, company: Company, by, reason: str) -> Company:
    """Staff of the company's province refuse to verify a company waiting in the queue,
    giving a reason (required; `clean_refusal_reason`).

    The same lock and policy as `company_verify`. The company leaves the queue carrying the
    reason, when and by whom, and each approved member is mailed the reason in their
    language after commit. A company a colleague verified or refused meanwhile is left as
    it is, with a message (a verified company's verification is withdrawn with
    `company_verify`)."""
    ensure_may_verify(by, company)
    reason = clean_refusal_reason(reason)
    locked = Company.objects.select_for_update().get(pk=company.pk)
    if locked.is_verified or locked.is_refused:
        raise ValidationError(
            _("This company is no longer waiting for verification: staff have verified or refused it."),
            code="not_waiting",
        )
    _record_refusal(locked, by=by, reason=reason)
    transaction.on_commit(lambda: notify_company_refused.enqueue(locked.pk))
    company.is_verified, company.refused_at = False, locked.refused_at
    return locked


VERIFICATION_FIELDS = frozenset({"is_verified", "refused_at", "refused_by", "refusal_reason", "verification_requested_at"})


@transaction.atomic
def company_request_verification(*, company: Company, by, changes: dict | None = None, sectors=None) -> Company:
    """An approved member puts a refused company back in the verification queue, with the
    fields they changed (`changes`: field name -> value; validated as on every path) and
    its `sectors` (when given): it waits from now, and its refusal is cleared.

    The row is locked, so a staff decision taken meanwhile is not overwritten: a company
    that is no longer refused is refused here with a message, and fields the members did
    not change keep what is stored."""
    changes = changes or {}
    ensure_may_request_verification(by, company)
    locked = Company.objects.select_for_update().get(pk=company.pk)
    if not locked.is_refused:
        raise ValidationError(
            _("This company is verified or already waiting for verification."), code="not_refused"
        )
    # Only what the members changed goes onto the locked row: what staff changed meanwhile in
    # other fields is kept.
    edited = [name for name in changes if name not in VERIFICATION_FIELDS]
    for name in edited:
        setattr(locked, name, changes[name])
    locked.is_verified = False
    locked.refused_at, locked.refused_by, locked.refusal_reason = None, None, ""
    locked.verification_requested_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=[*edited, "is_verified", "refused_at", "refused_by", "refusal_reason",
                               "verification_requested_at", "updated_at", "search_text"])
    if sectors is not None:
        locked.sectors.set(sectors)
    return locked


# --- the capability profile ------------------------------------------------------------------
@transaction.atomic
def company_profile_update(*, company: Company, by, production_capacity: str, machinery: str) -> Company:
    """The profile's text: production capacity and machinery (stored as typed)."""
    ensure_may_edit_profile(by, company)
    locked = Company.objects.select_for_update().get(pk=company.pk)
    locked.production_capacity = normalize_typed_text(production_capacity or "")
    locked.machinery = normalize_typed_text(machinery or "")
    locked.save(update_fields=["production_capacity", "machinery", "updated_at"])
    company.production_capacity, company.machinery = locked.production_capacity, locked.machinery
    return locked


def product_set_hs_codes(product: Product, codes) -> list[str]:
    """Replace a product's HS codes with `codes` (a list, or text typed with commas or
    spaces between them): normalised, each 2 to 10 digits, at least one."""
    codes = parse_hs_codes(" ".join(codes) if isinstance(codes, (list, tuple)) else codes)
    if not codes:
        raise ValidationError({"hs_codes": _("Give at least one HS code (2 to 10 digits).")}, code="no_hs_code")
    product.hs_codes.exclude(code__in=codes).delete()
    have = set(product.hs_codes.values_list("code", flat=True))
    ProductHsCode.objects.bulk_create([ProductHsCode(product=product, code=code) for code in codes if code not in have])
    return codes


@transaction.atomic
def product_save(
    *, company: Company, by, name_fa: str, name_en: str = "", hs_codes, photo=None, remove_photo: bool = False,
    product: Product | None = None,
) -> Product:
    """Add a product to the company's profile (or change `product`): names, HS codes (one or
    more, 2 to 10 digits: `product_set_hs_codes`) and an optional photo, checked by its
    content (core.images) and stored re-encoded under a random name."""
    ensure_may_edit_profile(by, company)
    if product is not None and product.company_id != company.pk:
        raise ValidationError(_("This product belongs to another company."))
    try:
        codes = parse_hs_codes(" ".join(hs_codes) if isinstance(hs_codes, (list, tuple)) else hs_codes)
    except ValidationError as error:
        raise ValidationError({"hs_codes": error.messages}) from None
    if not codes:
        raise ValidationError({"hs_codes": _("Give at least one HS code (2 to 10 digits).")}, code="no_hs_code")
    product = product or Product(company=company)
    product.name_fa, product.name_en = name_fa, name_en or ""
    if photo:
        product.photo = photo
    elif remove_photo:
        product.photo = None
    product.full_clean()
    product.save()
    product_set_hs_codes(product, codes)
    return product


@transaction.atomic
def product_delete(*, product: Product, by) -> None:
    ensure_may_edit_profile(by, product.company)
    product.delete()


CERTIFICATE_FIELDS = ("kind", "title", "number", "issuer", "expires_on")


@transaction.atomic
def certificate_save(
    *, company: Company, by, certificate: Certificate | None = None, file=None, remove_file: bool = False, **fields,
) -> Certificate:
    """Add a certificate to the company's profile (or change `certificate`): its kind,
    number, issuer, expiry date and an optional file (a PDF or an image, checked by its
    content and size; Certificate.file's validator)."""
    ensure_may_edit_profile(by, company)
    if certificate is not None and certificate.company_id != company.pk:
        raise ValidationError(_("This certificate belongs to another company."))
    certificate = certificate or Certificate(company=company)
    for name in CERTIFICATE_FIELDS:
        if name in fields:
            setattr(certificate, name, fields[name] if fields[name] is not None or name == "expires_on" else "")
    if file:
        certificate.file = file
    elif remove_file:
        certificate.file = None
    certificate.full_clean()
    certificate.save()
    return certificate


@transaction.atomic
def certificate_delete(*, certificate: Certificate, by) -> None:
    ensure_may_edit_profile(by, certificate.company)
    certificate.delete()
