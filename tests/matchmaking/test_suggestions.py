"""Suggestions in both directions, with their reasons: the HS code hierarchy (subheading >
heading > chapter), sector, province and past outcomes; bounded queries."""

import pytest
from django.utils import translation

from companies.models import Product, ProductHsCode, Sector
from matchmaking.selectors import needs_for_supplier, suppliers_for_need
from tests.factories import SupplierFactory, declaration, displayed_need, province

pytestmark = pytest.mark.django_db


def supplier_with(codes, *, slug="tehran", sector_slug=None, **kwargs):
    supplier = SupplierFactory(province=province(slug), **kwargs)
    product = Product.objects.create(company=supplier, name_fa="بلبرینگ")
    for code in codes:
        ProductHsCode.objects.create(product=product, code=code)
    if sector_slug:
        supplier.sectors.add(Sector.objects.get(slug=sector_slug))
    return supplier


def test_hs_hierarchy_ranks_subheading_over_heading_over_chapter_with_reasons():
    need = displayed_need(hs_code="84821000", sector=Sector.objects.get(slug="textile"))
    chapter = supplier_with(["8401"])
    heading = supplier_with(["848299"])
    subheading = supplier_with(["848210"])
    unrelated = supplier_with(["3004"])
    with translation.override("en"):
        ranked = suppliers_for_need(need)
    assert ranked == [subheading, heading, chapter]
    assert unrelated not in ranked
    assert ranked[0].reasons[0] == "same HS subheading 848210"
    assert ranked[1].reasons[0] == "same HS heading 8482"
    assert ranked[2].reasons[0] == "same HS chapter 84"


def test_reasons_name_sector_province_and_past_outcomes():
    need = displayed_need(hs_code="848210")  # auto-parts, Qom
    supplier = supplier_with(["848210"], slug="qom", sector_slug="auto-parts")
    earlier = displayed_need(hs_code="848220")
    declaration(need=earlier, supplier=supplier)  # shortlisted
    with translation.override("en"):
        [suggested] = suppliers_for_need(need)
    assert suggested == supplier
    assert suggested.reasons == [
        "same HS subheading 848210", "same sector", "same province", "shortlisted 1 time before",
    ]


def test_past_declarations_count_as_hs_experience():
    need = displayed_need(hs_code="848210", sector=Sector.objects.get(slug="textile"))
    supplier = SupplierFactory(province=province("tehran"))
    declaration(need=displayed_need(hs_code="848290"), supplier=supplier)
    with translation.override("en"):
        [suggested] = suppliers_for_need(need)
    assert suggested == supplier and suggested.reasons[0] == "same HS heading 8482"


def test_needs_for_supplier_ranks_by_hs_code_with_reasons_and_skips_declared():
    supplier = supplier_with(["848210"], slug="qom")
    best = displayed_need(hs_code="84821000", sector=Sector.objects.get(slug="textile"))
    heading = displayed_need(hs_code="848299", sector=Sector.objects.get(slug="textile"))
    declared = displayed_need(hs_code="848210")
    declaration(need=declared, supplier=supplier)
    far_off = displayed_need(hs_code="300490", sector=Sector.objects.get(slug="textile"))
    with translation.override("en"):
        ranked = needs_for_supplier(supplier)
    assert ranked[:2] == [best, heading]
    assert declared not in ranked and far_off not in ranked
    assert ranked[0].reasons[:2] == ["same HS subheading 848210", "same province"]
    assert ranked[1].reasons[0] == "same HS heading 8482"


def test_reasons_are_translated():
    need = displayed_need(hs_code="848210", sector=Sector.objects.get(slug="textile"))
    supplier_with(["8482"])
    with translation.override("fa"):
        [suggested] = suppliers_for_need(need)
    assert "8482" in suggested.reasons[0]


@pytest.mark.parametrize("count", [3, 30])
def test_suggestion_queries_do_not_grow_with_candidates(count, django_assert_max_num_queries):
    need = displayed_need(hs_code="848210")
    for index in range(count):
        supplier = supplier_with(["848210", "8483"], sector_slug="auto-parts")
        declaration(need=displayed_need(hs_code=f"8482{index % 10}0"), supplier=supplier)
    with django_assert_max_num_queries(1):
        suppliers = suppliers_for_need(need)
    assert suppliers
    for index in range(count):
        displayed_need(hs_code=f"848{index % 10}10")
    with django_assert_max_num_queries(4):
        needs = needs_for_supplier(suppliers[0])
    assert needs and all(need.reasons for need in needs)
