"""Sample photos, hardened: the one rule every upload path obeys (admin, forms, API, commands).

An upload is accepted only if it passes core.images (Pillow decodes it completely as a JPEG,
PNG or WebP image no larger than settings.MAX_UPLOAD_BYTES and settings.MAX_IMAGE_PIXELS; the
one home of that rule). What is stored is never
the uploaded file itself but a fresh encoding of its pixels: orientation applied, EXIF
(camera serial, GPS position, dates) and every other metadata chunk dropped, long side
capped, under a random name. The thumbnail is made in the same pass.

The rule lives on the model field (`PhotoField`): its validator runs in `full_clean` (so
every ModelForm reports it on the field), and its `pre_save` processes any file that has
not been stored yet, so a path that skips validation still cannot store a raw upload.

A photo chosen on a form that then fails validation for another reason is kept ("held")
until the next submit, so staff need not choose it again: `hold_uploads` stores its
processed, metadata-free encoding under a random name and gives the form a signed token,
which `HeldPhotoInputMixin` renders as a hidden field and turns back into the upload on the
next submit. Held files are deleted once saved, and any left behind after HELD_MAX_AGE."""

from __future__ import annotations

import base64
import datetime
import io
import uuid
from dataclasses import dataclass
from functools import partial

from django import forms
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from PIL import Image

from core.images import (  # noqa: F401 (ACCEPT, FORMATS, MAX_LONG_SIDE: re-exported)
    ACCEPT,
    FORMAT_MESSAGE,
    FORMATS,
    MAX_LONG_SIDE,
    check_size,
    decode,
    reencode,
)

THUMB_SIZE = (480, 360)


@dataclass(frozen=True)
class ProcessedPhoto:
    content: bytes
    extension: str
    thumbnail: bytes
    width: int
    height: int


def process_photo(upload) -> ProcessedPhoto:
    """Validate `upload` (core.images: content, formats, size and pixel limits) and produce
    what is stored: the re-encoded photo and its thumbnail.
    Raises ValidationError with a message for the person who uploaded it."""
    check_size(upload)
    image, fmt = decode(upload)
    clean, content, extension = reencode(image, fmt)

    thumb = clean.convert("RGB") if clean.mode != "RGB" else clean.copy()
    thumb.thumbnail(THUMB_SIZE, Image.Resampling.LANCZOS)
    thumb_out = io.BytesIO()
    thumb.save(thumb_out, "JPEG", quality=80, optimize=True)
    upload.seek(0)
    return ProcessedPhoto(content, extension, thumb_out.getvalue(), clean.width, clean.height)


def _raw_upload(value):
    """The not-yet-stored file behind a form value or a FieldFile, or None when the value is
    a file already in storage (it was processed when it was stored)."""
    if not value:
        return None
    if isinstance(value, models.fields.files.FieldFile):
        if value._committed:
            return None
        return value.file
    return value


def processed(upload) -> ProcessedPhoto:
    """`process_photo`, done once per upload object (validation and save share the work)."""
    result = getattr(upload, "_processed_photo", None)
    if result is None:
        result = process_photo(upload)
        try:
            upload._processed_photo = result
        except AttributeError:
            pass
    return result


def validate_photo(value) -> None:
    upload = _raw_upload(value)
    if upload is not None:
        processed(upload)


class PhotoFormField(forms.FileField):
    default_error_messages = {
        "invalid_image": FORMAT_MESSAGE,
    }

    def bound_data(self, data, initial):
        # A held photo is shown again (HeldPhotoInputMixin.render); any other upload is not.
        return data if getattr(data, "held_token", None) else initial

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is not None:
            processed(upload)
        return upload

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs.setdefault("accept", ACCEPT)
        return attrs


class PhotoField(models.ImageField):
    """An ImageField whose uploads are validated, re-encoded and renamed before storage,
    with an optional thumbnail made into `thumbnail_field` in the same pass."""

    default_validators = [validate_photo]

    def __init__(self, *args, thumbnail_field: str | None = None, **kwargs):
        self.thumbnail_field = thumbnail_field
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.thumbnail_field:
            kwargs["thumbnail_field"] = self.thumbnail_field
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PhotoFormField, **kwargs})

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        upload = _raw_upload(file)
        if upload is not None:
            result = processed(upload)
            stem = uuid.uuid4().hex
            file.save(f"{stem}.{result.extension}", ContentFile(result.content), save=False)
            if self.thumbnail_field:
                getattr(model_instance, self.thumbnail_field).save(
                    f"{stem}.jpg", ContentFile(result.thumbnail), save=False
                )
            held_token = getattr(upload, "held_token", None)
            if held_token:  # stored for good now: the held copy goes once the save commits
                transaction.on_commit(partial(discard_held_photo, held_token))
        return super().pre_save(model_instance, add)


# --- a chosen photo kept across a failed submit --------------------------------------------------
HELD_DIR = "needs/held"
HELD_MAX_AGE = datetime.timedelta(days=1)
_HELD_SALT = "needs.photos.held"


def hold_photo(upload) -> str:
    """Keep an accepted upload for the next submit of the same form; returns the signed token
    that brings it back (`held_photo`). What is kept is the processed photo and thumbnail
    (no metadata, random names), never the uploaded bytes. Held photos older than
    HELD_MAX_AGE are removed on the way."""
    result = processed(upload)
    stem = uuid.uuid4().hex
    photo_name = default_storage.save(f"{HELD_DIR}/{stem}.{result.extension}", ContentFile(result.content))
    thumb_name = default_storage.save(f"{HELD_DIR}/{stem}-thumb.jpg", ContentFile(result.thumbnail))
    clear_stale_held_photos()
    token = signing.dumps(
        {"photo": photo_name, "thumb": thumb_name, "name": str(upload.name or "")[-120:],
         "size": [result.width, result.height]},
        salt=_HELD_SALT, compress=True,
    )
    upload.held_token = token
    return token


def _held_names(token: str, max_age=HELD_MAX_AGE) -> dict | None:
    try:
        held = signing.loads(token, salt=_HELD_SALT, max_age=max_age)
    except signing.BadSignature:  # forged, damaged or expired
        return None
    if not all(str(held.get(key, "")).startswith(f"{HELD_DIR}/") for key in ("photo", "thumb")):
        return None
    return held


def held_photo(token: str) -> UploadedFile | None:
    """The upload a `hold_photo` token stands for, ready for the form field (already
    processed: it is our own encoding), or None when the token is not valid or expired or
    the held files are gone."""
    held = _held_names(token)
    if held is None:
        return None
    try:
        with default_storage.open(held["photo"]) as photo_file, default_storage.open(held["thumb"]) as thumb_file:
            content, thumbnail = photo_file.read(), thumb_file.read()
    except OSError:
        return None
    extension = held["photo"].rsplit(".", 1)[-1]
    upload = SimpleUploadedFile(held["name"] or f"photo.{extension}", content)
    upload._processed_photo = ProcessedPhoto(content, extension, thumbnail, *held["size"])
    upload.held_token = token
    return upload


def discard_held_photo(token: str) -> None:
    held = _held_names(token, max_age=None)
    if held is not None:
        for name in (held["photo"], held["thumb"]):
            default_storage.delete(name)


def clear_stale_held_photos(*, now: datetime.datetime | None = None) -> int:
    """Delete held photos older than HELD_MAX_AGE (forms left after a failed submit);
    returns how many files went."""
    try:
        _folders, names = default_storage.listdir(HELD_DIR)
    except FileNotFoundError:
        return 0
    cutoff = (now or timezone.now()) - HELD_MAX_AGE
    removed = 0
    for name in names:
        path = f"{HELD_DIR}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                removed += 1
        except OSError:  # removed meanwhile by another request
            continue
    return removed


def hold_uploads(form) -> None:
    """After a submit that failed validation: hold every photo `form` accepted, so the
    re-rendered form carries it (`HeldPhotoInputMixin`)."""
    cleaned = getattr(form, "cleaned_data", None) or {}
    for name, field in form.fields.items():
        upload = cleaned.get(name)
        if isinstance(field, PhotoFormField) and isinstance(upload, UploadedFile) and not getattr(
            upload, "held_token", None
        ):
            hold_photo(upload)


class HeldPhotoInputMixin:
    """For a photo's file input: a held photo travels as a hidden `<name>-held` token and is
    shown as "kept" with its thumbnail; choosing another file replaces it."""

    @staticmethod
    def held_name(name: str) -> str:
        return f"{name}-held"

    def value_from_datadict(self, data, files, name):
        upload = super().value_from_datadict(data, files, name)
        token = data.get(self.held_name(name))
        if upload is None and token:
            cache = self.__dict__.setdefault("_held", {})
            if token not in cache:
                cache[token] = held_photo(token)
            upload = cache[token]
        return upload

    def render(self, name, value, attrs=None, renderer=None):
        token = getattr(value, "held_token", None)
        if not token:
            return super().render(name, value, attrs, renderer)
        attrs = {key: val for key, val in (attrs or {}).items() if key != "required"}
        thumbnail = base64.b64encode(processed(value).thumbnail).decode("ascii")
        note = gettext("Kept from your last try: %(name)s. It is saved with the form; choose another file to replace it.")
        return format_html(
            '<div class="held-photo"><img src="data:image/jpeg;base64,{}" alt="" width="120" class="need-photo-preview">'
            '<p>{}</p><input type="hidden" name="{}" value="{}"></div>{}',
            thumbnail, note % {"name": value.name}, self.held_name(name), token,
            super().render(name, None, attrs, renderer),
        )
