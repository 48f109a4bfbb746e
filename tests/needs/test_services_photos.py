"""The primary photo: one home (needs.services.need_photos_settle_primary), called by every
admin path that changes a need's photos."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from needs.models import NeedPhoto
from needs.services import need_photos_settle_primary
from tests.factories import NeedFactory


def _jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "#2f7d68").save(out, "JPEG")
    return SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")


def test_a_need_whose_photos_have_no_primary_gets_the_first_in_order(db):
    need = NeedFactory()
    later = NeedPhoto.objects.create(need=need, image=_jpeg(), order=2)
    first = NeedPhoto.objects.create(need=need, image=_jpeg(), order=1)
    assert need_photos_settle_primary(need=need) == first
    assert list(need.photos.filter(is_primary=True)) == [first]
    assert not NeedPhoto.objects.get(pk=later.pk).is_primary


def test_deleting_the_primary_photo_in_the_photo_admin_makes_the_next_one_primary(db, superuser_client):
    need = NeedFactory()
    primary = NeedPhoto.objects.create(need=need, image=_jpeg(), order=1, is_primary=True)
    second = NeedPhoto.objects.create(need=need, image=_jpeg(), order=2)
    url = reverse("admin:needs_needphoto_delete", args=[primary.pk])
    assert superuser_client.post(url, {"post": "yes"}).status_code == 302
    assert NeedPhoto.objects.get(pk=second.pk).is_primary


def test_a_photo_added_in_the_photo_admin_to_a_need_without_photos_becomes_primary(db, superuser_client):
    need = NeedFactory()
    response = superuser_client.post(
        reverse("admin:needs_needphoto_add"),
        {"need": need.pk, "image": _jpeg(), "caption": "x", "order": 1},
    )
    assert response.status_code == 302, response.content[:2000]
    assert need.photos.get().is_primary
