"""`/metrics` for Prometheus: the request, database and cache instruments of core/metrics.py,
and the programme's figures read at scrape time (needs by status and on display, meetings,
declarations, contracts, tour registrations, companies, the background-task queue).

The endpoint answers only a scraper that presents `Authorization: Bearer <METRICS_TOKEN>`;
with no METRICS_TOKEN set it does not exist (404)."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.db.models import Count, Sum
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client.core import GaugeMetricFamily

from core.metrics import exposition


class ProgrammeCollector:
    """The business figures, a fixed number of grouped queries per scrape; the needs' from
    their rollup, so a scrape costs the same at a million needs."""

    def describe(self):
        return []  # read at scrape time only: no query when the collector is registered

    def collect(self):
        from companies.models import Company
        from django_tasks_db.models import DBTaskResult
        from matchmaking.models import Interest, Meeting, Outcome
        from needs.models import PUBLIC, NeedRollup
        from tours.models import TourRegistration

        def by(model_or_qs, field, name, documentation, label):
            family = GaugeMetricFamily(name, documentation, labels=[label])
            queryset = model_or_qs.objects.all() if hasattr(model_or_qs, "objects") else model_or_qs
            for row in queryset.order_by().values(field).annotate(n=Count("pk")):
                family.add_metric([str(row[field])], row["n"])
            return family

        # The needs' figures from the rollup the database keeps (NeedRollup): no scan of the
        # needs on every scrape, whatever their number.
        needs = GaugeMetricFamily("portal_needs", "Needs by lifecycle status", labels=["status"])
        for row in NeedRollup.objects.order_by().values("status").annotate(n=Sum("needs")):
            needs.add_metric([row["status"]], row["n"] or 0)
        yield needs
        yield GaugeMetricFamily(
            "portal_needs_on_display_public", "Needs the public catalogue shows",
            value=NeedRollup.objects.filter(PUBLIC).aggregate(n=Sum("needs"))["n"] or 0,
        )
        yield by(Interest, "status", "portal_declarations", "Readiness declarations by status", "status")
        yield by(Meeting, "status", "portal_meetings", "Meetings by status (confirmed = booked)", "status")
        yield by(Outcome, "result", "portal_meeting_outcomes", "Recorded meeting outcomes by result", "result")
        yield by(TourRegistration, "status", "portal_tour_registrations", "Tour registrations by status", "status")
        yield by(Company, "is_verified", "portal_companies", "Companies by verification", "verified")
        yield by(DBTaskResult, "status", "portal_tasks", "Background tasks by status (READY = queued)", "status")


def _authorised(request) -> bool:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    return given.startswith("Bearer ") and hmac.compare_digest(given.removeprefix("Bearer ").encode(), token.encode())


@never_cache
@require_GET
def metrics(request):
    if not settings.METRICS_TOKEN:
        raise Http404
    if not _authorised(request):
        response = HttpResponse("Unauthorized\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    body, content_type = exposition(ProgrammeCollector())
    return HttpResponse(body, content_type=content_type)
