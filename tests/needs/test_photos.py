"""Hostile uploads: each is refused with a clear message and nothing already stored is lost;
what is stored is a fresh encoding without metadata, under a random name, with a thumbnail."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.forms import modelform_factory
from django.utils import translation
from PIL import Image

from needs.models import NeedPhoto
from needs.photos import process_photo
from tests.factories import NeedFactory

pytestmark = pytest.mark.django_db


def jpeg(size=(640, 480), **save) -> bytes:
    out = io.BytesIO()
    Image.effect_noise(size, 40).convert("RGB").save(out, "JPEG", **save)
    return out.getvalue()


def png(size=(400, 300)) -> bytes:
    out = io.BytesIO()
    Image.effect_noise(size, 60).convert("RGB").save(out, "PNG")
    return out.getvalue()


def png_bomb(width=30_000, height=30_000) -> bytes:
    """A real decompression bomb: a valid 1-bit PNG whose ~110 MB of zero rows compress to
    about a hundred kilobytes."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\0" + b"\0" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def jpeg_with_gps() -> bytes:
    image = Image.effect_noise((800, 600), 40).convert("RGB")
    exif = image.getexif()
    exif[0x0110] = "Secret Phone 12"  # camera model
    exif[0x0112] = 6  # orientation: rotate 90° to display
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (34.0, 38.0, 24.5), "E", (50.0, 52.0, 33.1)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


PhotoForm = modelform_factory(NeedPhoto, fields=["need", "image", "caption"])


def upload(data: bytes, name: str, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def need_with_photo():
    need = NeedFactory()
    stored = NeedPhoto.objects.create(need=need, image=upload(jpeg(), "first.jpg"), is_primary=True)
    return need, stored


def submit(need, data, name, language="en"):
    with translation.override(language):
        form = PhotoForm(data={"need": need.pk, "caption": "x"}, files={"image": upload(data, name)})
        return form.is_valid(), [str(error) for error in form.errors.get("image", [])]


HOSTILE = {
    "decompression bomb": (png_bomb, "bomb.png", "megapixels"),
    "SVG with a script": (
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.cookie)</script></svg>',
        "evil.svg", "not a JPEG, PNG or WebP photo",
    ),
    "HTML named .jpg": (
        lambda: b"<!DOCTYPE html><html><body><script>fetch('/admin/')</script></body></html>",
        "photo.jpg", "not a JPEG, PNG or WebP photo",
    ),
    "truncated PNG": (lambda: png()[:-4000], "cut.png", "damaged or incomplete"),
    "12 MB file": (lambda: jpeg() + b"\0" * (12 * 1024 * 1024), "huge.jpg", "largest accepted is 10 MB"),
}


@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_hostile_upload_is_refused_with_a_message_and_nothing_stored_is_lost(case, need_with_photo, settings):
    need, stored = need_with_photo
    make, name, message = HOSTILE[case]
    files_before = sorted(p.name for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())

    valid, errors = submit(need, make(), name)

    assert not valid
    assert any(message in error for error in errors), errors
    assert list(need.photos.all()) == [stored]
    assert Path(stored.image.path).read_bytes()[:2] == b"\xff\xd8"
    assert sorted(p.name for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()) == files_before


def test_hostile_upload_is_refused_even_without_a_form(need_with_photo):
    """Commands and scripts that skip validation still cannot store a raw upload."""
    need, _stored = need_with_photo
    with pytest.raises(ValidationError), transaction.atomic():
        NeedPhoto.objects.create(need=need, image=upload(b"<svg><script>alert(1)</script></svg>", "x.jpg"))
    assert need.photos.count() == 1


def test_stored_copy_of_a_jpeg_with_gps_has_no_exif_and_is_turned_upright(need_with_photo):
    need, _stored = need_with_photo
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the upload does carry GPS

    photo = NeedPhoto.objects.create(need=need, image=upload(original, "IMG_0001.jpg"))

    data = Path(photo.image.path).read_bytes()
    stored = Image.open(io.BytesIO(data))
    assert stored.format == "JPEG"
    assert dict(stored.getexif()) == {}
    assert b"Exif" not in data and b"Secret Phone" not in data
    assert stored.size == (600, 800)  # orientation 6 applied: portrait
    assert "IMG_0001" not in photo.image.name and photo.image.name.endswith(".jpg")
    thumb = Image.open(photo.thumbnail.path)
    assert max(thumb.size) <= 480 and dict(thumb.getexif()) == {}


def test_png_and_webp_are_kept_in_their_format_with_a_random_name(need_with_photo):
    need, _stored = need_with_photo
    out = io.BytesIO()
    Image.new("RGBA", (300, 200), (10, 120, 200, 128)).save(out, "WEBP")
    webp = NeedPhoto.objects.create(need=need, image=upload(out.getvalue(), "a.webp", "image/webp"))
    pngs = [NeedPhoto.objects.create(need=need, image=upload(png(), "same.png", "image/png")) for _ in range(2)]
    assert Image.open(webp.image.path).format == "WEBP" and Image.open(webp.image.path).mode == "RGBA"
    assert {Image.open(p.image.path).format for p in pngs} == {"PNG"}
    assert pngs[0].image.name != pngs[1].image.name
    assert all(p.thumbnail and Path(p.thumbnail.path).exists() for p in [webp, *pngs])


def test_very_large_photos_are_scaled_down():
    result = process_photo(upload(jpeg((4000, 3000)), "big.jpg"))
    assert (result.width, result.height) == (2400, 1800)


def test_pixel_limit_follows_the_setting(settings):
    settings.MAX_IMAGE_PIXELS = 100_000
    with pytest.raises(ValidationError) as refused:
        process_photo(upload(jpeg((640, 480)), "a.jpg"))
    assert "640 × 480" in refused.value.messages[0]


def test_editing_a_photo_keeps_the_stored_file(need_with_photo):
    need, stored = need_with_photo
    name = stored.image.name
    form = modelform_factory(NeedPhoto, fields=["need", "image", "caption"])(
        data={"need": need.pk, "caption": "نمای جلو"}, files={}, instance=stored
    )
    assert form.is_valid(), form.errors
    form.save()
    stored.refresh_from_db()
    assert stored.image.name == name and stored.caption == "نمای جلو"


def test_the_message_is_in_persian_for_persian_staff(need_with_photo):
    need, _stored = need_with_photo
    valid, errors = submit(need, b"<html><script>1</script></html>", "a.jpg", language="fa")
    assert not valid
    assert errors == ["این پرونده عکس JPEG، PNG یا WebP نیست. لطفاً عکسی در یکی از این قالب‌ها بارگذاری کنید."]
