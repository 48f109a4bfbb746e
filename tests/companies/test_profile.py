"""The capability profile: products with normalised HS codes, certificates checked by content
(expired ones marked), edited by the company's approved members and shown publicly."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from companies.models import Certificate, Product, ProductHsCode, parse_hs_codes
from companies.services import certificate_save, company_profile_update, product_save
from tests.factories import SupplierFactory, UserFactory, jpeg_bytes, member

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_hs_codes_are_normalised_and_checked():
    assert parse_hs_codes("۸۴۸۲، 8482.10 8482") == ["8482", "848210"]
    with pytest.raises(ValidationError):
        parse_hs_codes("8")
    with pytest.raises(ValidationError):
        parse_hs_codes("84821012345")


def test_member_adds_product_with_codes_and_photo():
    company = SupplierFactory()
    user = member(company, "maker")
    photo = SimpleUploadedFile("p.jpg", jpeg_bytes(), content_type="image/jpeg")
    product = product_save(company=company, by=user, name_fa="بلبرینگ", hs_codes="848210, ۸۴۸۳", photo=photo)
    assert sorted(ProductHsCode.objects.filter(product=product).values_list("code", flat=True)) == ["848210", "8483"]
    assert product.photo.name.endswith(".jpg") and "p.jpg" not in product.photo.name
    product_save(company=company, by=user, product=product, name_fa="بلبرینگ", hs_codes="8482")
    assert list(product.hs_codes.values_list("code", flat=True)) == ["8482"]


def test_a_fake_photo_is_refused_by_content():
    company = SupplierFactory()
    user = member(company, "maker2")
    with pytest.raises(ValidationError):
        product_save(company=company, by=user, name_fa="x", hs_codes="8482",
                     photo=SimpleUploadedFile("p.jpg", b"not an image", content_type="image/jpeg"))
    assert not Product.objects.exists()


def test_outsiders_and_unapproved_cannot_edit():
    company = SupplierFactory()
    with pytest.raises(ValidationError):
        company_profile_update(company=company, by=UserFactory(username="nobody"), production_capacity="x", machinery="")
    with pytest.raises(ValidationError):
        product_save(company=company, by=member(SupplierFactory(), "other"), name_fa="x", hs_codes="8482")


def test_certificate_file_pdf_or_image_by_content():
    company = SupplierFactory()
    user = member(company, "certs")
    pdf = certificate_save(company=company, by=user, kind="iso_9001", number="Q-1", issuer="TUV",
                           expires_on=datetime.date(2030, 1, 1), file=SimpleUploadedFile("c.pdf", PDF))
    assert pdf.file.name.endswith(".pdf")
    with pytest.raises(ValidationError):
        certificate_save(company=company, by=user, kind="iso_9001", file=SimpleUploadedFile("c.pdf", b"MZ\x90\x00 exe"))
    with pytest.raises(ValidationError):
        certificate_save(company=company, by=user, kind="iso_9001",
                         file=SimpleUploadedFile("big.pdf", PDF + b"0" * (6 * 1024 * 1024)))


def test_public_page_and_api_mark_expired_certificates(client, settings, time_machine=None):
    company = SupplierFactory()
    company.production_capacity = "۲۰۰ هزار بلبرینگ در سال"
    company.save()
    Certificate.objects.create(company=company, kind="iso_9001", number="OLD-1", expires_on=datetime.date(2020, 1, 1))
    Certificate.objects.create(company=company, kind="standard_mark", number="NEW-2", expires_on=datetime.date(2999, 1, 1))
    product = Product.objects.create(company=company, name_fa="بلبرینگ", name_en="Bearing")
    ProductHsCode.objects.create(product=product, code="848210")
    with translation.override("en"):
        page = client.get(reverse("companies:detail", args=[company.pk])).content.decode()
    assert "expired on" in page and "valid until" in page and "848210" in page
    from companies.api import SupplierSerializer

    data = SupplierSerializer(company, context={"today": datetime.date(2025, 1, 1)}).data
    assert [c["expired"] for c in data["certificates"]] == [False, True] or [c["expired"] for c in data["certificates"]] == [True, False]
    assert data["products"][0]["hs_codes"] == ["848210"]


def test_expiry_follows_the_clock():
    certificate = Certificate(kind="iso_9001", expires_on=datetime.date(2025, 6, 1))
    assert not certificate.is_expired(datetime.date(2025, 6, 1))
    assert certificate.is_expired(datetime.date(2025, 6, 2))


def test_profile_page_for_members(client):
    company = SupplierFactory()
    client.force_login(member(company, "pageuser"))
    assert client.get(reverse("companies:profile")).status_code == 200
    response = client.post(reverse("companies:product-add"), {"name_fa": "چرخ‌دنده", "hs_codes": "8483"})
    assert response.status_code == 302 and Product.objects.filter(company=company).exists()
    client.force_login(UserFactory(username="nocompany"))
    assert client.get(reverse("companies:profile")).status_code == 404
