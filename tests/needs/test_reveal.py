"""An anonymous buyer reveals itself to one supplier company: that company's members see the
name (Need.buyer_label_for), nobody else does, and only the buyer's members may do it."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from needs.models import BuyerReveal
from needs.services import need_reveal_buyer
from tests.factories import CompanyFactory, SupplierFactory, displayed_need, member

pytestmark = pytest.mark.django_db


def _fresh(user):
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def hidden():
    buyer = CompanyFactory(name_fa="صنایع رازدار", name_en="Secretive")
    need = displayed_need(buyer=buyer, is_anonymous=True)
    one, other = SupplierFactory(), SupplierFactory()
    return {"need": need, "buyer_member": member(buyer, "b"), "one": one, "one_member": member(one, "s1"),
            "other_member": member(other, "s2")}


def test_the_revealed_supplier_sees_the_name_and_others_do_not(hidden):
    need = hidden["need"]
    assert need.buyer_label_for(hidden["one_member"]) == need.public_buyer_label()
    need_reveal_buyer(need, to_company=hidden["one"], by=hidden["buyer_member"])
    assert need.buyer_label_for(_fresh(hidden["one_member"])) == need.buyer.name
    assert need.buyer_label_for(_fresh(hidden["other_member"])) == need.public_buyer_label()
    assert need.buyer_label_for(None) == need.public_buyer_label()


def test_only_the_buyers_members_reveal(hidden):
    with pytest.raises(PermissionDenied):
        need_reveal_buyer(hidden["need"], to_company=hidden["one"], by=hidden["one_member"])
    assert not BuyerReveal.objects.exists()


def test_revealing_twice_keeps_one_reveal(hidden):
    first = need_reveal_buyer(hidden["need"], to_company=hidden["one"], by=hidden["buyer_member"])
    assert need_reveal_buyer(hidden["need"], to_company=hidden["one"], by=hidden["buyer_member"]) == first
    with pytest.raises(IntegrityError), transaction.atomic():
        BuyerReveal.objects.create(need=hidden["need"], company=hidden["one"])


def test_labelling_many_needs_costs_one_reveal_query_per_viewer(hidden, django_assert_num_queries):
    needs = [displayed_need(buyer=hidden["need"].buyer, is_anonymous=True) for _ in range(5)]
    viewer = _fresh(hidden["one_member"])
    for need in needs:
        need.buyer  # loaded beforehand, as list pages select it
    # approved companies, national-staff check is free for non-staff, then the reveals: two queries.
    with django_assert_num_queries(2):
        [need.buyer_label_for(viewer) for need in needs]
