"""Files on messages: PDFs and images only, judged by content; a size cap; kept in a private
folder under random names that no media URL reaches; served only through the thread's
permission check, as a download."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from conversations.files import check_upload, safe_name
from conversations.models import Attachment
from conversations.services import message_post
from tests.conversations.conftest import exif_jpeg, jpeg_upload, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def _refusal(content, name="file.pdf", lang="en") -> str:
    with translation.override(lang):
        with pytest.raises(ValidationError) as refused:
            check_upload(SimpleUploadedFile(name, content))
        return " ".join(refused.value.messages)


def test_a_pdf_and_an_image_are_accepted():
    assert check_upload(upload()).content_type == "application/pdf"
    checked = check_upload(jpeg_upload())
    assert checked.content_type == "image/jpeg" and checked.original_name == "photo.jpg"


@pytest.mark.parametrize("content", [
    b"MZ\x90\x00 this is a windows program",
    b"<html><script>alert(1)</script></html>",
    b"GIF89a\x01\x00\x01\x00",
])
def test_other_types_are_refused_whatever_their_name(content):
    assert "Only PDF files and JPEG, PNG or WebP images" in _refusal(content, name="drawing.pdf")


def test_refusals_are_in_persian_for_a_persian_reader():
    assert "فقط فایل‌های PDF" in _refusal(b"MZ\x90\x00", lang="fa")


def test_a_pdf_header_alone_is_not_a_pdf():
    assert "damaged or incomplete" in _refusal(b"%PDF-1.7\nnot really a pdf at all")


def test_a_pdf_with_javascript_is_refused():
    content = pdf_bytes().replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (x) >>", 1)
    assert "scripts" in _refusal(content)


def test_a_fake_image_is_refused():
    assert "JPEG, PNG or WebP" in _refusal(b"\xff\xd8\xff\xe0 not a jpeg at all", name="p.jpg")


def test_the_size_cap_in_both_languages(settings):
    settings.CONVERSATION_FILE_MAX_BYTES = 1024 * 1024
    big = pdf_bytes(b"%" + b"0" * (1024 * 1024 + 10))
    assert "the largest accepted is 1 MB" in _refusal(big)
    assert "بیشترین اندازه پذیرفتنی" in _refusal(big, lang="fa")


def test_image_metadata_is_dropped():
    checked = check_upload(SimpleUploadedFile("p.jpg", exif_jpeg("Reza Razdar")))
    assert b"Razdar" not in checked.content.read()


def test_files_are_private_random_named_and_not_served_as_media(client, world):
    message = message_post(interest=world["interest"], by=world["buyer_member"], body="see",
                           files=[upload("Razdar plan.pdf")])
    attachment = message.attachments.get()
    path = Path(attachment.file.path)
    assert path.exists()
    assert not path.is_relative_to(Path(django_settings.MEDIA_ROOT))
    assert path.is_relative_to(Path(django_settings.PRIVATE_MEDIA_ROOT))
    assert "Razdar" not in attachment.file.name
    with pytest.raises(ValueError):
        attachment.file.url
    client.force_login(world["supplier_member"])
    assert client.get(django_settings.MEDIA_URL + attachment.file.name).status_code == 404
    assert client.get("/media/" + path.name).status_code == 404


def test_the_download_checks_the_thread_and_is_an_attachment(client, world):
    message = message_post(interest=world["interest"], by=world["supplier_member"], body="",
                           files=[upload('offer "final".pdf')])
    attachment = message.attachments.get()
    client.force_login(world["buyer_member"])
    response = client.get(reverse("conversations:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert '"final"' not in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_refused_file_stores_nothing(world):
    with pytest.raises(ValidationError):
        message_post(interest=world["interest"], by=world["supplier_member"], body="x",
                     files=[upload("a.pdf"), SimpleUploadedFile("b.pdf", b"MZ")])
    assert Attachment.objects.count() == 0
    private = Path(django_settings.PRIVATE_MEDIA_ROOT)
    assert not private.exists() or not any(p.is_file() for p in private.rglob("*"))


def test_safe_name():
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name('a"b;c.pdf') == "a_b_c.pdf"
    assert safe_name("نقشه\r\n.pdf") == "نقشه.pdf"


def test_the_page_form_reports_a_refusal(client, world):
    client.force_login(world["supplier_member"])
    response = client.post(
        "/en" + reverse("conversations:thread", args=[world["interest"].pk]),
        {"body": "see file", "attachment": SimpleUploadedFile("x.pdf", b"MZ\x90")},
    )
    assert response.status_code == 200
    assert "Only PDF files" in response.content.decode()
