"""Personas around one declaration on an anonymous Qom buyer's need: the buyer's member,
the supplier's member, Qom staff (who mediate), Tehran staff and national staff (who
serve every province), and a stranger company's member."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from exhibitions.models import StaffProvince
from exhibitions.selectors import NATIONAL_GROUP
from tests.factories import (
    CompanyFactory,
    SupplierFactory,
    UserFactory,
    declaration,
    displayed_need,
    jpeg_bytes,
    member,
    province,
)


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def staff(username, slug=None, *, national=False):
    user = UserFactory(username=username, email=f"{username}@isipo.example", is_staff=True)
    if slug:
        StaffProvince.objects.create(user=user, province=province(slug))
    if national:
        user.groups.add(Group.objects.get_or_create(name=NATIONAL_GROUP)[0])
    return user


@pytest.fixture
def world(db):
    buyer = CompanyFactory(name_fa="صنایع رازدار قم", name_en="Secretive Industries", email="office@secretive.example")
    need = displayed_need(buyer=buyer, is_anonymous=True)
    supplier = SupplierFactory(name_fa="سازنده", name_en="Maker Co", email="office@maker.example")
    interest = declaration(need=need, supplier=supplier)
    return {
        "buyer": buyer, "need": need, "supplier": supplier, "interest": interest,
        "buyer_member": member(buyer, "razdar", email="ceo@secretive.example", first_name="Reza", last_name="Razdar"),
        "supplier_member": member(supplier, "maker", email="sales@maker.example", first_name="Sara", last_name="Maker"),
        "qom_staff": staff("qom-staff", "qom"),
        "tehran_staff": staff("tehran-staff", "tehran"),
        "national_staff": staff("nat-staff", national=True),
        "stranger": member(SupplierFactory(), "stranger"),
        "secrets": ["رازدار", "Secretive", "Razdar", "Reza", "razdar", "secretive.example"],
    }


def pdf_bytes(extra: bytes = b"") -> bytes:
    """A small, well-formed PDF (fpdf2 writes it)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Drawing 12-A")
    return bytes(pdf.output()) + extra


def upload(name="drawing.pdf", content=None, content_type="application/pdf"):
    return SimpleUploadedFile(name, pdf_bytes() if content is None else content, content_type=content_type)


def jpeg_upload(name="photo.jpg"):
    return SimpleUploadedFile(name, jpeg_bytes(), content_type="image/jpeg")


def exif_jpeg(owner: str) -> bytes:
    from PIL import Image

    image = Image.new("RGB", (64, 48), (10, 20, 30))
    exif = Image.Exif()
    exif[0x013B] = owner  # Artist
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()
