"""Need.displayed_at: when a need first went on display (the funnel's second step). Set when
a need is first stored on display, by whatever path (Need.save), never moved after."""

import datetime

import pytest
from django.utils import timezone

from needs.models import NeedStatus
from needs.services import need_change_status
from tests.factories import ExhibitionFactory, NeedFactory, ShelfFactory

pytestmark = pytest.mark.django_db

MOMENT = datetime.datetime(2025, 11, 3, 9, 0, tzinfo=datetime.UTC)


def _need_with_place():
    shelf = ShelfFactory(exhibition=ExhibitionFactory())
    return NeedFactory(exhibition=shelf.exhibition, shelf=shelf, shelf_position=1, display_consent=True)


def test_a_need_going_on_display_records_when(monkeypatch):
    need = _need_with_place()
    assert need.displayed_at is None
    monkeypatch.setattr(timezone, "now", lambda: MOMENT)
    need_change_status(need=need, status=NeedStatus.ON_DISPLAY)
    need.refresh_from_db()
    assert need.displayed_at == MOMENT


def test_going_back_on_display_keeps_the_first_moment(monkeypatch):
    need = _need_with_place()
    monkeypatch.setattr(timezone, "now", lambda: MOMENT)
    need_change_status(need=need, status=NeedStatus.ON_DISPLAY)
    monkeypatch.setattr(timezone, "now", lambda: MOMENT + datetime.timedelta(days=9))
    need_change_status(need=need, status=NeedStatus.IDENTIFIED)
    need_change_status(need=need, status=NeedStatus.ON_DISPLAY)
    need.refresh_from_db()
    assert need.displayed_at == MOMENT


def test_a_need_not_yet_on_display_has_no_moment():
    need = _need_with_place()
    need_change_status(need=need, status=NeedStatus.WITHDRAWN)
    need.refresh_from_db()
    assert need.displayed_at is None


def test_the_migration_dates_needs_already_on_display_from_their_last_change():
    import importlib

    from django.apps import apps

    from needs.models import Need

    backfill = importlib.import_module("needs.migrations.0008_need_displayed_at").backfill
    shown = _need_with_place()
    Need.objects.filter(pk=shown.pk).update(status=NeedStatus.IN_TALKS, updated_at=MOMENT)
    early = _need_with_place()  # changed before the day it says it was identified
    Need.objects.filter(pk=early.pk).update(
        status=NeedStatus.ON_DISPLAY, updated_at=MOMENT, identified_on=datetime.date(2025, 12, 1)
    )
    waiting = NeedFactory()
    backfill(apps, None)
    shown.refresh_from_db(), early.refresh_from_db(), waiting.refresh_from_db()
    assert shown.displayed_at == MOMENT
    assert timezone.localtime(early.displayed_at).date() == datetime.date(2025, 12, 1)
    assert waiting.displayed_at is None


def test_a_need_stored_on_display_from_the_start_records_when(monkeypatch):
    """A need added on display (the admin's add form, an imported new row) never passes
    through need_change_status: the moment is kept by the model on every path that saves."""
    from needs.models import Need

    monkeypatch.setattr(timezone, "now", lambda: MOMENT)
    shelf = ShelfFactory(exhibition=ExhibitionFactory())
    need = NeedFactory(exhibition=shelf.exhibition, shelf=shelf, shelf_position=2, display_consent=True,
                       status=NeedStatus.ON_DISPLAY)
    assert Need.objects.get(pk=need.pk).displayed_at == MOMENT
