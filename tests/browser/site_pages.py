"""Every page a person sees, once the demo is seeded: the public site, the account pages
(signed in as a supplier, a buyer, a newcomer without a company, a tour organiser; forms
also as they come back with errors), the staff admin's main pages and the staff's reports,
agenda and tour desk.

One list for the accessibility test (tests/browser/test_accessibility.py) and for the
screenshots of docs/screenshots/ (scripts/screenshots.py), so both look at the same pages.
`prepare()` picks the objects the pages show from the seeded data and adds the few
accounts that sign in (named `a11y-*`)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

LANGUAGES = ("fa", "en")
WIDTHS = (390, 1280)


@dataclass(frozen=True)
class Page:
    name: str  # used in screenshot names: docs/screenshots/<name>-<lang>-<width>.png
    group: str  # "public", "account" or "admin"
    path: str  # in Persian (the default language); English adds /en
    who: str | None = None  # the persona signed in (see prepare), None for a visitor
    post: dict | None = field(default=None)  # submitted as a form to `path`: the page a failed form shows

    def url(self, base: str, lang: str) -> str:
        return base + ("/en" if lang == "en" else "") + self.path


@dataclass
class Site:
    users: dict  # persona -> user
    pages: list[Page]


def prepare() -> Site:
    """The pages of a seeded demo (seed_demo) and the users who see them."""
    from django.contrib.auth import get_user_model

    from companies.models import Company, CompanyMember
    from matchmaking.models import Interest, Meeting
    from needs.models import Need, NeedStatus
    from django.utils import timezone

    from tours.check_in import check_in_code
    from tours.models import Tour, TourRegistration
    from tours.services import organiser_grant

    User = get_user_model()

    def person(username: str, company: Company | None = None, **fields) -> object:
        user, _created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.com", "first_name": "", **fields}
        )
        if company is not None and not CompanyMember.objects.filter(user=user).exists():
            CompanyMember.objects.create(company=company, user=user, role="owner", is_approved=True)
        return user

    meeting = Meeting.objects.filter(status=Meeting.Status.CONFIRMED).select_related("interest__need").order_by("pk").first()
    interest = meeting.interest
    buyer, supplier = meeting.buyer, meeting.supplier
    need = (
        Need.objects.public().filter(shelf__isnull=False, photos__isnull=False, status=NeedStatus.ON_DISPLAY)
        .exclude(buyer=supplier).exclude(interests__supplier=supplier).order_by("-annual_fx_usd").first()
    )
    tour = Tour.objects.filter(status="scheduled").order_by("starts_at", "pk").first()
    # The staff's event day (the seeder fills one), a tour series and a registration's check-in code.
    agenda_meeting = (
        Meeting.objects.filter(room__isnull=False, status=Meeting.Status.CONFIRMED)
        .select_related("room__exhibition").order_by("starts_at", "pk").first()
    )
    agenda_day = timezone.localtime(agenda_meeting.starts_at).date().isoformat()
    series_tour = Tour.objects.filter(series__isnull=False).order_by("starts_at", "pk").first()
    checked = TourRegistration.objects.filter(status=TourRegistration.Status.CONFIRMED).order_by("pk").first()
    company = Company.objects.filter(is_verified=True, is_supplier=True).order_by("pk").first()
    organiser = User.objects.get(username="demo-organiser")  # the seeded tours' organiser
    organiser_grant(user=organiser)
    users = {
        "supplier": person("a11y-supplier", supplier, first_name="Supplier"),
        "buyer": person("a11y-buyer", buyer, first_name="Buyer"),
        "newcomer": person("a11y-newcomer"),
        "organiser": organiser,
        "staff": person("a11y-staff", is_staff=True, is_superuser=True),
    }
    # The supplier's inbox shows one unread and one read notification (notices).
    from notices.models import Notification

    if not Notification.objects.filter(user=users["supplier"]).exists():
        Notification.objects.bulk_create([
            Notification(user=users["supplier"], event="decision", subject=f"Your declaration for “{interest.need.display_title}” was shortlisted",
                         body="The buyer shortlisted your readiness declaration.", link=f"/account/declarations/{interest.pk}/"),
            Notification(user=users["supplier"], event="meeting", subject="Meeting confirmed", body="See you there.",
                         link=f"/account/meetings/{meeting.pk}/", read_at=timezone.now()),
        ])
    filtered = f"?province={need.province.slug}&sector={need.sector.slug}"
    pages = [
        Page("home", "public", "/"),
        Page("catalogue", "public", "/needs/"),
        Page("catalogue-filtered", "public", f"/needs/{filtered}"),
        Page("need", "public", f"/needs/{need.pk}/"),
        Page("exhibitions", "public", "/exhibitions/"),
        Page("exhibition", "public", f"/exhibitions/{need.exhibition.slug}/"),
        Page("tours", "public", "/tours/"),
        Page("tour", "public", f"/tours/{tour.pk}/"),
        Page("suppliers", "public", "/companies/"),
        Page("supplier", "public", f"/companies/{company.pk}/"),
        Page("stats", "public", "/stats/"),
        Page("login", "account", "/account/login/"),
        Page("login-errors", "account", "/account/login/", post={"username": "", "password": ""}),
        Page("signup", "account", "/account/signup/"),
        Page("signup-errors", "account", "/account/signup/", post={"username": "a b", "email": "x", "password1": "1", "password2": "2"}),
        Page("password-reset", "account", "/account/password-reset/"),
        Page("account-supplier", "account", "/account/", who="supplier"),
        Page("account-buyer", "account", "/account/", who="buyer"),
        Page("company-register", "account", "/account/company/", who="newcomer"),
        Page("company-register-errors", "account", "/account/company/", who="newcomer", post={"action": "register"}),
        Page("declare", "account", f"/account/needs/{need.pk}/declare/", who="supplier"),
        Page("declare-errors", "account", f"/account/needs/{need.pk}/declare/", who="supplier", post={"annual_capacity": "x"}),
        Page("alert-new", "account", f"/alerts/new/{filtered}", who="supplier"),
        Page("alert-new-errors", "account", f"/alerts/new/{filtered}", who="supplier", post={"name": ""}),
        Page("alerts", "account", "/alerts/", who="supplier"),
        Page("declarations", "account", f"/account/needs/{interest.need_id}/declarations/", who="buyer"),
        Page("declaration", "account", f"/account/declarations/{interest.pk}/", who="buyer"),
        Page("meeting", "account", f"/account/meetings/{meeting.pk}/", who="buyer"),
        Page("conversation-buyer", "account", f"/account/declarations/{interest.pk}/conversation/", who="buyer"),
        Page("conversation-supplier", "account", f"/account/declarations/{interest.pk}/conversation/", who="supplier"),
        Page("conversation-errors", "account", f"/account/declarations/{interest.pk}/conversation/", who="supplier", post={"body": ""}),
        Page("conversation-staff", "account", f"/account/declarations/{interest.pk}/conversation/", who="staff"),
        Page("need-documents", "account", f"/account/needs/{interest.need_id}/documents/", who="buyer"),
        Page("meeting-propose", "account", f"/account/declarations/{interest.pk}/meeting/", who="buyer"),
        Page("meeting-propose-errors", "account", f"/account/declarations/{interest.pk}/meeting/", who="buyer", post={}),
        Page("notifications", "account", "/notifications/", who="supplier"),
        Page("notification-settings", "account", "/notifications/settings/", who="supplier"),
        Page("notification-settings-errors", "account", "/notifications/settings/", who="supplier",
             post={"sms-meeting": "on", "phone": "12345"}),
        Page("tour-register", "account", f"/tours/{tour.pk}/", who="supplier"),
        Page("tours-organise", "account", "/tours/organise/", who="organiser"),
        Page("tour-new", "account", "/tours/new/", who="organiser"),
        Page("tour-roster", "account", f"/tours/{tour.pk}/roster/", who="organiser"),
        Page("admin-needs", "admin", "/admin/needs/need/", who="staff"),
        Page("admin-need", "admin", f"/admin/needs/need/{need.pk}/change/", who="staff"),
        Page("admin-companies", "admin", "/admin/companies/company/", who="staff"),
        Page("admin-exhibitions", "admin", "/admin/exhibitions/exhibition/", who="staff"),
        Page("admin-verification-queue", "admin", "/admin/companies/company/verification/", who="staff"),
        Page("admin-exchange-rates", "admin", "/admin/matchmaking/exchangerate/", who="staff"),
        Page("staff-funnel", "admin", "/admin/reports/funnel/", who="staff"),
        Page("staff-agenda", "admin", f"/staff/exhibitions/{agenda_meeting.room.exhibition.slug}/agenda/{agenda_day}/",
             who="staff"),
        Page("staff-door-sheets", "admin",
             f"/staff/exhibitions/{agenda_meeting.room.exhibition.slug}/agenda/{agenda_day}/doors/", who="staff"),
        Page("tour-series", "account", f"/tours/series/{series_tour.series}/", who="staff"),
        Page("tour-check-in", "account", f"/tours/check-in/{check_in_code(checked)}/", who="staff"),
    ]
    assert Interest.objects.filter(pk=interest.pk, status=Interest.Status.SHORTLISTED).exists()
    return Site(users=users, pages=pages)


def session_cookie(user) -> str:
    """A signed-in session for `user` (the value of the session cookie)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def open_page(browser, base: str, page: Page, lang: str, sessions: dict) -> None:
    """Open `page` in `lang` in the browser as its persona (and, for a failed form, post it
    the way the form would: with the page's CSRF token)."""
    browser.call("Network.clearBrowserCookies")
    if page.who:
        browser.set_cookie(base, "sessionid", sessions[page.who])
    browser.open(page.url(base, lang))
    if page.post is not None:
        browser._forget_loads()
        browser.js(
            "(() => { const data = " + json.dumps(page.post) + ";"
            " const form = document.createElement('form'); form.method = 'post'; form.action = location.pathname;"
            " const token = document.querySelector('input[name=csrfmiddlewaretoken]');"
            " data.csrfmiddlewaretoken = token ? token.value : '';"
            " for (const [name, value] of Object.entries(data)) {"
            "   const input = document.createElement('input'); input.type = 'hidden'; input.name = name; input.value = value;"
            "   form.append(input); }"
            " document.body.append(form); HTMLFormElement.prototype.submit.call(form); })()"
        )
        browser._wait_event("Page.loadEventFired", 30)
