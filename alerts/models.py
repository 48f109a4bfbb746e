"""Saved searches: a supplier's catalogue filter, kept to be told of new needs that match.

A saved search stores the values of the catalogue's own filter (needs.filters.NeedFilter)
and is matched by that same filter (alerts.selectors.matching_needs), so a search finds in
the digest exactly what it finds on /needs/."""

from django.conf import settings
from django.db import models
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.models import Sector
from exhibitions.models import Exhibition, Province

# The catalogue filters a search keeps (needs.filters.NeedFilter's fields but the sort).
FILTER_NAMES = ("q", "province", "sector", "exhibition", "hs", "fx_min", "fx_max", "status")


class SavedSearchQuerySet(models.QuerySet):
    def subscribed(self):
        return self.filter(unsubscribed=False)

    def due(self, moment):
        """Subscribed searches whose window began before the digest moment `moment`: the
        last digest, or the search's creation for the first one."""
        return self.subscribed().filter(
            models.Q(last_digest_at__lt=moment) | models.Q(last_digest_at__isnull=True, created_at__lt=moment)
        )


class SavedSearch(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches", verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    q = models.CharField(_("search text"), max_length=200, blank=True)
    province = models.ForeignKey(
        Province, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("province"),
    )
    sector = models.ForeignKey(
        Sector, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("sector"),
    )
    exhibition = models.ForeignKey(
        Exhibition, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("exhibition"),
    )
    hs = models.CharField(_("HS code starts with"), max_length=10, blank=True)
    fx_min = models.DecimalField(_("annual FX from (USD)"), max_digits=14, decimal_places=2, null=True, blank=True)
    fx_max = models.DecimalField(_("annual FX up to (USD)"), max_digits=14, decimal_places=2, null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # The end of the last digest's window: the next digest lists needs displayed after it.
    last_digest_at = models.DateTimeField(_("last digest at"), null=True, blank=True)
    unsubscribed = models.BooleanField(_("unsubscribed"), default=False)

    objects = SavedSearchQuerySet.as_manager()

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unsubscribed", "last_digest_at"], name="alert_due")]

    def __str__(self) -> str:
        return self.name

    @property
    def window_start(self):
        return self.last_digest_at or self.created_at

    def as_filters(self) -> QueryDict:
        """The search as the catalogue's query string reads it (needs.filters.NeedFilter)."""
        values = {
            "q": self.q,
            "province": self.province.slug if self.province_id else "",
            "sector": self.sector.slug if self.sector_id else "",
            "exhibition": self.exhibition.slug if self.exhibition_id else "",
            "hs": self.hs,
            "fx_min": "" if self.fx_min is None else str(self.fx_min),
            "fx_max": "" if self.fx_max is None else str(self.fx_max),
            "status": self.status,
        }
        query = QueryDict(mutable=True)
        for name, value in values.items():
            if value:
                query[name] = value
        return query
