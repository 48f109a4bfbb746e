"""The staff dashboard on the admin's index page (portal/dashboard.py)."""

import pytest
from django.urls import reverse

from matchmaking.models import Interest
from tests.factories import NeedFactory, SupplierFactory, displayed_need, province

pytestmark = pytest.mark.django_db


def test_dashboard_counts_only_the_staff_members_province(client, qom_staff, national_staff):
    qom_need = displayed_need(province=province("qom"))
    NeedFactory(buyer=qom_need.buyer, annual_fx_usd=1000)
    NeedFactory(buyer=qom_need.buyer, annual_fx_usd=5000, status="withdrawn")
    tehran_need = displayed_need(province=province("tehran"))
    Interest.objects.create(need=qom_need, supplier=SupplierFactory(), annual_capacity=1, lead_time_days=9)
    Interest.objects.create(need=tehran_need, supplier=SupplierFactory(), annual_capacity=1, lead_time_days=9)

    client.force_login(qom_staff)
    dashboard = client.get(reverse("admin:index")).context["dashboard"]
    assert dashboard["needs_total"] == 3
    assert dashboard["fx_total"] == qom_need.annual_fx_usd + 1000
    assert {row["status"]: row["count"] for row in dashboard["by_status"]}["withdrawn"] == 1
    assert dashboard["declarations_waiting"] == 1
    assert [p.slug for p in dashboard["provinces"]] == ["qom"]

    client.force_login(national_staff)
    assert client.get(reverse("admin:index")).context["dashboard"]["needs_total"] == 4

