"""Inviting a suggested supplier to declare: who may, what is refused, and the letter the
supplier's people read (an anonymous buyer stays "a manufacturer in <province>")."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from matchmaking.models import Invitation
from matchmaking.notifications import invitation_letters
from matchmaking.services import invitation_send
from needs.models import NeedStatus
from notices.models import Notification
from tests.factories import SupplierFactory, UserFactory, declaration, displayed_need, member, province_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous_need():
    need = displayed_need(is_anonymous=True)
    need.buyer.name_fa, need.buyer.name_en, need.buyer.email = "صنایع پنهان", "Hidden Industries", "boss@hidden.example"
    need.buyer.save()
    return need


def test_buyer_member_invites_and_supplier_people_are_notified(anonymous_need, django_capture_on_commit_callbacks, mailoutbox):
    buyer = member(anonymous_need.buyer, "hidden-boss", email="ceo@hidden.example")
    supplier = SupplierFactory()
    reader = member(supplier, "supplier-reader", email="sales@supplier.example")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_send(need=anonymous_need, supplier=supplier, by=buyer)
    assert invitation.invited_by == buyer
    [mail] = [m for m in mailoutbox if m.to == ["sales@supplier.example"]]
    text = mail.subject + mail.body
    for secret in ("صنایع پنهان", "Hidden Industries", "hidden.example", "hidden-boss", "ceo@"):
        assert secret not in text
    note = Notification.objects.get(user=reader)
    assert note.event == "invitation"
    assert "صنایع پنهان" not in f"{note.subject} {note.body}" and "hidden-boss" not in f"{note.subject} {note.body}"


def test_invitation_letter_of_an_anonymous_need_names_no_buyer(anonymous_need):
    supplier = SupplierFactory()
    member(supplier, "reader-two", email="two@supplier.example")
    invitation = Invitation.objects.create(need=anonymous_need, supplier=supplier, invited_by=UserFactory(username="inviter-x"))
    for language in ("fa", "en"):
        with translation.override(language):
            letters = invitation_letters(invitation)
        assert letters and all(letter.event == "invitation" for letter in letters)
        for letter in letters:
            text = letter.subject + letter.body
            for secret in ("صنایع پنهان", "Hidden Industries", "boss@hidden.example", "inviter-x"):
                assert secret not in text
            assert reverse("matchmaking:interest-declare", args=[anonymous_need.pk]) in letter.body


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_staff_of_the_province_invite_others_do_not(anonymous_need, english):
    supplier = SupplierFactory()
    tehran = province_staff("tehran-inviter", "tehran")
    with pytest.raises(ValidationError, match="buyer's approved members"):
        invitation_send(need=anonymous_need, supplier=supplier, by=tehran)
    stranger = member(SupplierFactory(), "stranger")
    with pytest.raises(ValidationError):
        invitation_send(need=anonymous_need, supplier=supplier, by=stranger)
    qom = province_staff("qom-inviter", "qom")
    assert invitation_send(need=anonymous_need, supplier=supplier, by=qom).pk


def test_refusals_are_clear(anonymous_need, english):
    buyer = member(anonymous_need.buyer, "boss2")
    supplier = SupplierFactory()
    invitation_send(need=anonymous_need, supplier=supplier, by=buyer)
    with pytest.raises(ValidationError, match="already been invited"):
        invitation_send(need=anonymous_need, supplier=supplier, by=buyer)
    with pytest.raises(ValidationError, match="not a verified domestic supplier"):
        invitation_send(need=anonymous_need, supplier=SupplierFactory(is_verified=False), by=buyer)
    with pytest.raises(ValidationError, match="not a verified domestic supplier"):
        invitation_send(need=anonymous_need, supplier=SupplierFactory(is_supplier=False, is_buyer=True), by=buyer)
    declared = declaration(need=anonymous_need).supplier
    with pytest.raises(ValidationError, match="already declared"):
        invitation_send(need=anonymous_need, supplier=declared, by=buyer)
    anonymous_need.status = NeedStatus.CONTRACTED
    anonymous_need.save()
    with translation.override("en"), pytest.raises(ValidationError, match="not on display"):
        invitation_send(need=anonymous_need, supplier=SupplierFactory(), by=buyer)


def test_invite_from_suggestions_page_and_see_it_on_account(client, anonymous_need):
    from companies.models import Sector

    buyer = member(anonymous_need.buyer, "boss3")
    supplier = SupplierFactory()
    supplier.sectors.add(Sector.objects.get(slug="auto-parts"))
    reader = member(supplier, "reader3")
    client.force_login(buyer)
    with translation.override("en"):
        page = client.get(reverse("matchmaking:need-declarations", args=[anonymous_need.pk]))
    assert page.status_code == 200
    assert "same sector" in page.content.decode() and "Invite" in page.content.decode()
    response = client.post(reverse("matchmaking:invitation-send", args=[anonymous_need.pk]), {"supplier": supplier.pk})
    assert response.status_code == 302 and Invitation.objects.filter(need=anonymous_need, supplier=supplier).exists()
    client.force_login(reader)
    account = client.get(reverse("matchmaking:account")).content.decode()
    assert reverse("matchmaking:interest-declare", args=[anonymous_need.pk]) in account
    assert "صنایع پنهان" not in account and "Hidden Industries" not in account


def test_outsiders_get_404_on_invite(client, anonymous_need):
    supplier = SupplierFactory()
    client.force_login(member(SupplierFactory(), "outsider"))
    response = client.post(reverse("matchmaking:invitation-send", args=[anonymous_need.pk]), {"supplier": supplier.pk})
    assert response.status_code == 404
