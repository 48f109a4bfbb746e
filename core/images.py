"""Uploaded images, checked by their content: the one home of what an image upload must be.

An upload is an image only if Pillow decodes it completely as one of the allowed formats
(JPEG, PNG or WebP; nothing else is even tried as a decoder), no larger than
settings.MAX_UPLOAD_BYTES bytes and settings.MAX_IMAGE_PIXELS pixels. The file's name and
declared content type are never trusted. `clean_copy` gives the pixels only (orientation
applied, every metadata chunk dropped, long side capped), ready to be encoded afresh.

Callers: needs/photos.py (sample photos, with their thumbnails and storage), the companies'
product photos and certificate files."""

from __future__ import annotations

import io
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow format name -> (extension, save options). Nothing else is even tried as a decoder.
FORMATS = {
    "JPEG": ("jpg", {"quality": 85, "optimize": True, "progressive": True}),
    "PNG": ("png", {"optimize": True}),
    "WEBP": ("webp", {"quality": 85, "method": 4}),
}
ACCEPT = "image/jpeg,image/png,image/webp"
MAX_LONG_SIDE = 2400
FORMAT_MESSAGE = _("This file is not a JPEG, PNG or WebP photo. Please upload a photo in one of those formats.")


def megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def upload_size(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    return size


def check_size(upload, *, max_bytes: int | None = None) -> None:
    """Refuse an empty upload or one over `max_bytes` (settings.MAX_UPLOAD_BYTES by default)."""
    limit = settings.MAX_UPLOAD_BYTES if max_bytes is None else max_bytes
    size = upload_size(upload)
    if size > limit:
        raise ValidationError(
            _("This photo is %(size)s MB; the largest accepted is %(max)s MB."),
            code="photo_too_large",
            params={"size": megabytes(size), "max": megabytes(limit)},
        )
    if size == 0:
        raise ValidationError(_("The photo file is empty."), code="photo_empty")


def too_many_pixels(width=None, height=None) -> ValidationError:
    limit = f"{settings.MAX_IMAGE_PIXELS / 1_000_000:g}"
    if width and height:
        return ValidationError(
            _("This photo is %(w)s × %(h)s pixels; the largest accepted is %(max)s megapixels."),
            code="photo_too_many_pixels",
            params={"w": width, "h": height, "max": limit},
        )
    return ValidationError(
        _("This photo has too many pixels; the largest accepted is %(max)s megapixels."),
        code="photo_too_many_pixels",
        params={"max": limit},
    )


def decode(upload) -> tuple[Image.Image, str]:
    """Open and fully decode the upload, refusing anything that is not a whole, reasonably
    sized image in one of FORMATS. Returns the loaded image and its Pillow format name."""
    upload.seek(0)
    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that; we refuse both.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(upload, formats=list(FORMATS))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_many_pixels() from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise ValidationError(FORMAT_MESSAGE, code="photo_not_image") from None
        width, height = image.size
        if width * height > settings.MAX_IMAGE_PIXELS:
            raise too_many_pixels(width, height)
        try:
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_many_pixels(width, height) from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise ValidationError(
                _("This photo file is damaged or incomplete; please upload it again."),
                code="photo_damaged",
            ) from None
    return image, image.format


def open_image(upload, *, max_bytes: int | None = None) -> tuple[Image.Image, str]:
    """`check_size` then `decode`: the whole check of an image upload. Raises
    ValidationError with a message for the person who uploaded it."""
    check_size(upload, max_bytes=max_bytes)
    image, fmt = decode(upload)
    upload.seek(0)
    return image, fmt


def validate_image(upload) -> None:
    """A validator: the upload is an acceptable image (its content, not its name)."""
    open_image(upload)


def clean_copy(image: Image.Image, *, keep_alpha: bool, max_long_side: int = MAX_LONG_SIDE) -> Image.Image:
    """Pixels only: orientation applied, a plain colour mode, no metadata at all."""
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    mode = "RGBA" if (keep_alpha and has_alpha) else "RGB"
    if image.mode == "L" and not has_alpha:
        mode = "L"
    if image.mode != mode:
        if mode == "RGB" and has_alpha:
            rgba = image.convert("RGBA")
            flat = Image.new("RGB", rgba.size, (255, 255, 255))
            flat.paste(rgba, mask=rgba.getchannel("A"))
            image = flat
        else:
            image = image.convert(mode)
    if max(image.size) > max_long_side:
        image = image.copy()
        image.thumbnail((max_long_side, max_long_side), Image.Resampling.LANCZOS)
    # A brand-new image carries no info dictionary: nothing of the upload's EXIF, XMP,
    # text chunks or comments can reach the encoder.
    return Image.frombytes(image.mode, image.size, image.tobytes())


def reencode(image: Image.Image, fmt: str) -> tuple[Image.Image, bytes, str]:
    """A fresh encoding of `image`'s pixels in `fmt` (no metadata): the clean image, its
    bytes and the file extension."""
    extension, options = FORMATS[fmt]
    clean = clean_copy(image, keep_alpha=fmt != "JPEG")
    out = io.BytesIO()
    clean.save(out, fmt, **options)
    return clean, out.getvalue(), extension
