"""The staff dashboard on the admin index: the figures a staff member acts on, for the
provinces they serve (all provinces for national staff). A fixed number of queries."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum

from companies.selectors import companies_waiting_count
from exhibitions.models import Province
from exhibitions.selectors import is_national_staff, scope_to_staff, staff_province_ids
from matchmaking.models import Interest, Meeting
from needs.models import Need, NeedStatus


def staff_dashboard(*, user) -> dict:
    needs = scope_to_staff(Need.objects.all(), user, "province")
    per_status = needs.aggregate(
        total=Count("id"),
        fx=Sum("annual_fx_usd", filter=~Q(status=NeedStatus.WITHDRAWN)),
        **{status: Count("id", filter=Q(status=status)) for status in NeedStatus.values},
    )
    declarations = scope_to_staff(Interest.objects.all(), user, "need__province").filter(
        status=Interest.Status.DECLARED
    ).count()
    meetings = scope_to_staff(Meeting.objects.all(), user, "interest__need__province").filter(
        status=Meeting.Status.PROPOSED
    ).count()
    national = is_national_staff(user)
    provinces = [] if national else list(Province.objects.filter(pk__in=staff_province_ids(user)))
    return {
        "national": national,
        "provinces": provinces,
        "needs_total": per_status["total"],
        "fx_total": per_status["fx"] or Decimal(0),
        "by_status": [
            {"status": status, "label": label, "count": per_status[status]} for status, label in NeedStatus.choices
        ],
        "declarations_waiting": declarations,
        "meetings_waiting": meetings,
        "companies_waiting": companies_waiting_count(user=user),
    }
