"""The staff admin in Persian throughout (issue 11, point 3): Django's and the third-party
apps' own sentences, the history and the audit trail (field labels, choice labels, related
objects by name, Jalali date-times in Tehran time), and dates and date-times typed in Jalali."""

import datetime
import re

import jdatetime
import pytest
from auditlog.models import LogEntry as AuditEntry
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from core.formats import datetime_
from matchmaking.services import meeting_propose
from needs.models import Need, NeedStatus
from tests.factories import (
    CompanyFactory,
    NeedFactory,
    TourFactory,
    declaration,
    next_week_at,
    parties,
    province,
    slot,
)
from tests.needs.test_admin import need_post
from tests.tours.test_admin import hall, tour_form  # noqa: F401  (hall is a fixture)
from tours.models import Tour

pytestmark = pytest.mark.django_db

# 22:00 UTC on 10 October 2025 is already 11 October (19 Mehr 1404), 01:30, in Tehran.
MOMENT = datetime.datetime(2025, 10, 10, 22, 0, tzinfo=datetime.UTC)
MOMENT_IN_TEHRAN = "۱۹ مهر ۱۴۰۴، ۰۱:۳۰"


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def to_persian(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


def visible(html: str) -> str:
    """The text a reader sees: no tags, scripts or styles."""
    return re.sub(r"<[^>]+>", " ", re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html))


def content(response) -> str:
    """The page's own content, below the header and the navigation."""
    return page(response).split('id="content-main"', 1)[1]


# --- Django's own sentences -------------------------------------------------------------------
def test_a_failed_save_asks_in_persian_to_correct_the_error(staff_client):
    buyer = CompanyFactory(province=province("qom"))
    html = page(staff_client.post(reverse("admin:needs_need_add"), need_post(buyer=buyer, title="")))
    assert "Please correct the error" not in html
    assert "لطفاً خطای زیر را برطرف کنید." in html


def test_the_delete_action_is_worded_as_persian_is_written(staff_client):
    NeedFactory(buyer=CompanyFactory(province=province("qom")))  # the actions are offered on a list with rows
    html = page(staff_client.get(reverse("admin:needs_need_changelist")))
    assert '<option value="delete_selected">حذف نیازهای انتخاب‌شده</option>' in html
    assert "حذف  " not in html and "های انتخاب شده" not in html


def test_the_row_checkboxes_and_the_breadcrumbs_are_named_in_persian(staff_client):
    need = NeedFactory(buyer=CompanyFactory(province=province("qom")), title="لنت ترمز سرامیکی")
    html = page(staff_client.get(reverse("admin:needs_need_changelist")))
    assert "Select this object" not in html and 'aria-label="Breadcrumbs"' not in html
    assert f'aria-label="انتخاب «{need.title}» برای اقدام"' in html


# --- the history (django.contrib.admin) and the audit trail (django-auditlog) -----------------
def test_the_history_page_shows_jalali_date_times_in_tehran_and_persian_field_names(staff_client, qom_staff):
    need = NeedFactory(buyer=CompanyFactory(province=province("qom")))
    # What Django records for a change in the admin: the form's (English, capitalised) labels.
    entry = LogEntry.objects.create(
        user=qom_staff, content_type=ContentType.objects.get_for_model(Need), object_id=str(need.pk),
        object_repr=str(need), action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["Annual FX value (USD)", "Status"]}}]',
    )
    LogEntry.objects.filter(pk=entry.pk).update(action_time=MOMENT)
    text = visible(content(staff_client.get(reverse("admin:needs_need_history", args=[need.pk]))))
    assert MOMENT_IN_TEHRAN in text
    assert "ارزش ارزی سالانه (دلار)" in text and "وضعیت" in text
    assert "2025" not in text and "Oct" not in text and "Annual" not in text


@pytest.fixture
def changed_need(staff_client):
    """A need whose buyer, status and FX value staff changed in the admin; the audit entry of
    that change is dated MOMENT."""
    first, second = (CompanyFactory(province=province("qom"), name_fa=name) for name in ("ریخته‌گری البرز", "فولاد کویر"))
    need = NeedFactory(buyer=first, status=NeedStatus.IDENTIFIED)
    data = need_post(buyer=second, status="withdrawn", annual_fx_usd="99000")
    response = staff_client.post(reverse("admin:needs_need_change", args=[need.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.get_for_object(need).filter(action=AuditEntry.Action.UPDATE).latest("timestamp")
    AuditEntry.objects.filter(pk=entry.pk).update(timestamp=MOMENT)
    return need, first, second


def test_the_audit_trail_reads_as_persian(staff_client, changed_need):
    need, first, second = changed_need
    html = page(staff_client.get(reverse("admin:needs_need_auditlog", args=[need.pk])))
    assert MOMENT_IN_TEHRAN in html  # Jalali, Tehran time
    assert "وضعیت" in html and "شرکت خریدار" in html  # the fields' Persian labels
    assert "شناسایی‌شده" in html and "منصرف‌شده" in html  # choice labels, not codes
    assert first.name_fa in html and second.name_fa in html  # companies by name, not id
    for english in ("Field", "From", "Audit log", "withdrawn", ">identified<", "No log entries"):
        assert english not in html, english


def test_the_audit_trail_is_english_on_english_pages(staff_client, changed_need):
    need, _first, _second = changed_need
    html = page(staff_client.get("/en" + reverse("admin:needs_need_auditlog", args=[need.pk])))
    assert "11 October 2025, 01:30" in html and "Status" in html and "Withdrawn" in html


def test_read_only_date_times_are_jalali_in_tehran(superuser_client):
    """A meeting is read-only in the admin (it changes only through the services); its times
    are shown in Jalali and Tehran time like every other date."""

    interest = declaration()
    buyer, _supplier = parties(interest)
    meeting = meeting_propose(interest=interest, by=buyer, mode="video", starts_at=slot(hour=12))
    text = visible(content(superuser_client.get(reverse("admin:matchmaking_meeting_change", args=[meeting.pk]))))
    assert datetime_(meeting.starts_at) in text and datetime_(meeting.ends_at) in text
    assert timezone.localtime(meeting.starts_at).strftime("%Y") not in text


# --- typing dates and date-times --------------------------------------------------------------
def test_a_tour_typed_in_jalali_date_and_persian_time_starts_at_that_instant(staff_client, qom_staff, hall):  # noqa: F811
    starts = next_week_at(10, 30)
    jalali = jdatetime.date.fromgregorian(date=starts.date()).strftime("%Y/%m/%d")
    data = tour_form(hall, qom_staff, start_hour=10)
    data.update({"starts_at_0": to_persian(jalali), "starts_at_1": "۱۰:۳۰", "ends_at_0": jalali, "ends_at_1": "12:00"})
    response = staff_client.post(reverse("admin:tours_tour_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    tour = Tour.objects.get()
    assert tour.starts_at == starts
    assert tour.ends_at == starts.replace(hour=12, minute=0)


def test_a_date_time_is_shown_for_editing_in_jalali_tehran_time(staff_client, hall):  # noqa: F811
    starts = next_week_at(1, 30)  # the evening before in UTC
    tour = TourFactory(exhibition=hall, starts_at=starts)
    html = page(staff_client.get(reverse("admin:tours_tour_change", args=[tour.pk])))
    jalali = jdatetime.date.fromgregorian(date=starts.date()).strftime("%Y/%m/%d")
    assert f'name="starts_at_0" value="{to_persian(jalali)}"' in html
    assert 'name="starts_at_1" value="۰۱:۳۰"' in html
    assert 'name="starts_at_1"' in html and "vDateField" not in html  # not Django's Gregorian calendar
    assert "calendar.js" not in html and "jalalidatepicker.min.js" in html


# --- the picker, in a real browser under the Content Security Policy ----------------------------
@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_jalali_picker_fills_a_persian_date_under_the_content_security_policy(live_server, browser, qom_staff, hall):  # noqa: F811
    tour = TourFactory(exhibition=hall)
    browser.call(
        "Page.addScriptToEvaluateOnNewDocument",
        source="window.blocked = []; document.addEventListener('securitypolicyviolation', e => window.blocked.push(e.violatedDirective + ' ' + e.blockedURI));",
    )
    browser.open(f"{live_server.url}/admin/login/?next=/admin/tours/tour/{tour.pk}/change/")
    browser.fill("#id_username", "qom-staff")
    browser.fill("#id_password", "Gol-Sorkh-8841")
    browser.click_and_wait("input[type=submit]")

    browser.js("document.querySelector('#id_starts_at_0').click()")
    browser.wait_for("document.querySelector('jdp-container') && getComputedStyle(document.querySelector('jdp-container')).display === 'block'")
    browser.js("[...document.querySelectorAll('jdp-container .jdp-day:not(.not-in-month)')].find(d => d.textContent.trim() === '۲۰').click()")
    shown = browser.js("Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').get.call(document.querySelector('#id_starts_at_0'))")
    month = jdatetime.date.fromgregorian(date=timezone.localtime(tour.starts_at).date()).strftime("%Y/%m")
    assert shown == to_persian(f"{month}/20")
    assert browser.js("window.blocked") == []


def test_the_superusers_index_names_third_party_apps_in_persian(superuser_client):
    """django-axes and django-tasks-db name themselves in English; portal.apps gives them
    translated names."""
    page = superuser_client.get("/admin/").content.decode()
    assert "Axes" not in page and "Tasks Database Backend" not in page
    assert "قفل ورود" in page and "کارهای پس‌زمینه" in page
