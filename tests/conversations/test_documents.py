"""A need's drawings and specifications: added by the buyer's members or serving staff,
opened by them and by shortlisted suppliers only; each opening is logged for the buyer."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from conversations.models import DocumentOpening
from conversations.services import need_document_add
from matchmaking.models import Interest
from tests.conversations.conftest import upload
from tests.factories import SupplierFactory, declaration, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(world):
    return need_document_add(need=world["need"], by=world["buyer_member"], upload=upload("spec.pdf"), title="Spec")


def test_staff_of_the_province_add_documents_and_others_cannot(world):
    assert need_document_add(need=world["need"], by=world["qom_staff"], upload=upload()).pk
    for who in ("supplier_member", "tehran_staff"):
        with pytest.raises(PermissionDenied):
            need_document_add(need=world["need"], by=world[who], upload=upload())


@pytest.mark.parametrize("who", ["buyer_member", "supplier_member", "qom_staff", "national_staff"])
def test_the_buyer_staff_and_a_shortlisted_supplier_open_it(client, world, document, who):
    client.force_login(world[who])
    response = client.get(reverse("conversations:need-document", args=[document.pk]))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert DocumentOpening.objects.filter(document=document, user=world[who]).count() == 1


def test_a_supplier_only_declared_or_declined_and_other_outsiders_get_404(client, world, document):
    declared = member(declaration(need=world["need"], supplier=SupplierFactory(), status=Interest.Status.DECLARED).supplier,
                      "declared-only")
    declined = member(declaration(need=world["need"], supplier=SupplierFactory(), status=Interest.Status.DECLINED).supplier,
                      "declined")
    for user in (declared, declined, world["tehran_staff"], world["stranger"]):
        client.force_login(user)
        assert client.get(reverse("conversations:need-document", args=[document.pk])).status_code == 404
        assert client.get(reverse("conversations:need-documents", args=[world["need"].pk])).status_code == 404
    assert DocumentOpening.objects.count() == 0


def test_the_buyer_sees_who_opened_and_the_supplier_does_not(client, world, document):
    client.force_login(world["supplier_member"])
    client.get(reverse("conversations:need-document", args=[document.pk]))
    supplier_page = client.get(reverse("conversations:need-documents", args=[world["need"].pk])).content.decode()
    assert "Spec" in supplier_page and "Sara Maker" not in supplier_page
    assert 'type="file"' not in supplier_page
    client.force_login(world["buyer_member"])
    page = client.get(reverse("conversations:need-documents", args=[world["need"].pk])).content.decode()
    assert "Sara Maker" in page


def test_the_buyer_adds_a_document_from_the_page(client, world):
    client.force_login(world["buyer_member"])
    response = client.post(reverse("conversations:need-documents", args=[world["need"].pk]),
                           {"title": "نقشه", "file": upload("plan.pdf")})
    assert response.status_code == 302
    assert world["need"].documents.get().title == "نقشه"
