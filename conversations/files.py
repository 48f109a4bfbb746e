"""What a file on a message or a need may be: a PDF or an image (JPEG, PNG, WebP), judged by
its content, never by its name or declared type, and no larger than
settings.CONVERSATION_FILE_MAX_BYTES.

Images are checked by core.images (fully decoded by Pillow) and stored as a fresh encoding
of their pixels, so no EXIF or other metadata (a camera owner's name, a GPS position)
reaches the other party. A PDF must start with the %PDF- header, end with %%EOF after a
startxref that points inside the file at a cross-reference table or stream, and carry no
scripts, launch actions or embedded files. What is stored is named at random."""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from core.images import megabytes, open_image, reencode, upload_size

ACCEPT = "application/pdf,image/jpeg,image/png,image/webp"
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# The first bytes of each accepted kind; anything else is refused before any decoder runs.
MAGIC = (b"%PDF-", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")
TYPE_MESSAGE = _("Only PDF files and JPEG, PNG or WebP images can be attached.")
PDF_DAMAGED = _("This PDF file is damaged or incomplete; please attach it again.")
PDF_ACTIVE = _("PDF files with scripts, actions or embedded files cannot be attached.")
_PDF_TAIL = 2048
_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA)\b")


@dataclass(frozen=True)
class CheckedFile:
    content: ContentFile  # what is stored, under a random name
    original_name: str
    content_type: str
    size: int


def safe_name(name: str, *, default: str = "file") -> str:
    """A file name fit for a Content-Disposition header and a page: the last path part, no
    control characters, quotes or separators, at most 120 characters; letters of any script
    are kept."""
    name = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    name = re.sub(r'["<>:|?*;\x00]', "_", name).strip(" .")
    return name[-120:] or default


def _read(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _is_webp(head: bytes) -> bool:
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


def _check_pdf(data: bytes) -> None:
    tail = data[-_PDF_TAIL:]
    if not re.match(rb"%PDF-[12]\.\d", data[:8]) or b"%%EOF" not in tail:
        raise ValidationError(PDF_DAMAGED, code="pdf_damaged")
    if _ACTIVE.search(data):
        raise ValidationError(PDF_ACTIVE, code="pdf_active")
    found = re.findall(rb"startxref\s+(\d+)\s", tail)
    if not found:
        raise ValidationError(PDF_DAMAGED, code="pdf_damaged")
    offset = int(found[-1])
    # The offset leads to a classic "xref" table or to an "n 0 obj" cross-reference stream.
    if offset >= len(data) or not re.match(rb"\s*(xref|\d+\s+\d+\s+obj)", data[offset:offset + 64]):
        raise ValidationError(PDF_DAMAGED, code="pdf_damaged")
    if b" obj" not in data and b"\nobj" not in data:
        raise ValidationError(PDF_DAMAGED, code="pdf_damaged")


def check_upload(upload) -> CheckedFile:
    """Validate one upload and make what is stored. Raises ValidationError with a message
    for the person who uploaded it (in their language)."""
    limit = settings.CONVERSATION_FILE_MAX_BYTES
    size = upload_size(upload)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    if size > limit:
        raise ValidationError(
            _("This file is %(size)s MB; the largest accepted is %(max)s MB."),
            code="file_too_large", params={"size": megabytes(size), "max": megabytes(limit)},
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not (head.startswith(MAGIC) or _is_webp(head)):
        raise ValidationError(TYPE_MESSAGE, code="file_type")
    original = safe_name(getattr(upload, "name", ""))
    stem = uuid.uuid4().hex
    if head.startswith(b"%PDF-"):
        data = _read(upload)
        _check_pdf(data)
        base = original.rsplit(".", 1)[0] if "." in original else original
        return CheckedFile(ContentFile(data, name=f"{stem}.pdf"), f"{base}.pdf", "application/pdf", len(data))
    image, fmt = open_image(upload, max_bytes=limit)
    _clean, content, extension = reencode(image, fmt)
    base = original.rsplit(".", 1)[0] if "." in original else original
    return CheckedFile(ContentFile(content, name=f"{stem}.{extension}"), f"{base}.{extension}", IMAGE_TYPES[fmt],
                       len(content))
