"""Check-in at the door by the QR code on a registration's confirmation: the code is signed,
opens a page only for whoever manages the tour, and checks a group in once."""

import datetime
import shutil
import subprocess

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ExhibitionFactory,
    SupplierFactory,
    TourFactory,
    member,
    province,
)
from tours.check_in import check_in_code, check_in_url
from tours.models import Tour, TourRegistration
from tours.services import registration_cancel, tour_register
from tours.tasks import notify_tour_registration

pytestmark = pytest.mark.django_db

SITE_URL = "https://portal.example.ir"


def zbar(png_path) -> list[str]:
    """What a phone's camera reads from the code (zbarimg, from zbar-tools)."""
    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        import os

        if os.environ.get("CI") or os.environ.get("REQUIRE_CHROMIUM") == "1":
            pytest.fail("zbar-tools (zbarimg) is missing: .ci/run installs it")
        pytest.skip("zbar-tools (zbarimg) is not installed: apt-get install zbar-tools")
    result = subprocess.run([zbarimg, "--quiet", "--raw", str(png_path)], capture_output=True, text=True, check=True)
    return result.stdout.splitlines()


def qom_tour(**kwargs) -> Tour:
    return TourFactory(exhibition=ExhibitionFactory(province=province("qom")), **kwargs)


def under_way(tour: Tour) -> Tour:
    """The tour began ten minutes ago: check-in is open."""
    now = timezone.now()
    Tour.objects.filter(pk=tour.pk).update(
        starts_at=now - datetime.timedelta(minutes=10), ends_at=now + datetime.timedelta(hours=2),
        registration_deadline=now - datetime.timedelta(hours=1),
    )
    tour.refresh_from_db()
    return tour


@pytest.fixture
def registration():
    company = SupplierFactory(name_fa="ریخته‌گری البرز", email="office@alborz.example")
    member(company, "alborz", email="sales@alborz.example")
    return tour_register(tour=qom_tour(capacity=5), company=company, attendees=3)


def test_the_confirmation_mail_carries_a_qr_code_zbar_reads_as_the_check_in_link(registration, settings, tmp_path):
    settings.SITE_URL = SITE_URL
    mail.outbox.clear()
    notify_tour_registration.call(registration.pk, "confirmed")

    url = check_in_url(registration)
    assert url.startswith(f"{SITE_URL}/tours/check-in/")
    for letter in mail.outbox:
        names = [a[0] for a in letter.attachments]
        assert names == ["tour.ics", "check-in.png"]
        assert url in letter.body
    png = next(a for a in mail.outbox[0].attachments if a[0] == "check-in.png")
    assert png[2] == "image/png"
    (tmp_path / "check-in.png").write_bytes(png[1])
    assert zbar(tmp_path / "check-in.png") == [url]


def test_a_waitlisted_or_cancelled_registrations_mail_carries_no_code(registration):
    waiting = tour_register(tour=registration.tour, company=SupplierFactory(email="w@example.com"), attendees=3)
    assert waiting.status == TourRegistration.Status.WAITLISTED
    mail.outbox.clear()
    notify_tour_registration.call(waiting.pk, "waitlisted")
    notify_tour_registration.call(registration.pk, "tour_cancelled")
    assert mail.outbox and all(
        [a[0] for a in m.attachments] == ["tour.ics"] and "/tours/check-in/" not in m.body for m in mail.outbox
    )


def test_the_company_sees_its_code_on_the_tour_page_and_no_one_else_does(client, registration):
    path = reverse("tours:check-in", args=[check_in_code(registration)])
    client.force_login(registration.company.members.get().user)
    page = client.get(reverse("tours:detail", args=[registration.tour_id])).content.decode()
    assert path in page and 'id="check-in-code"' in page and "<svg" in page
    other = member(SupplierFactory(), "other")
    client.force_login(other)
    assert path not in client.get(reverse("tours:detail", args=[registration.tour_id])).content.decode()


def test_an_anonymous_visitor_signs_in_first_and_comes_back(client, registration):
    path = reverse("tours:check-in", args=[check_in_code(registration)])
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login")) and "next=" in response["Location"]
    assert path.replace(":", "%3A") in response["Location"] or path in response["Location"]


def test_whoever_does_not_manage_the_tour_gets_404_and_learns_nothing(client, registration, tehran_staff, organiser_user):
    path = reverse("tours:check-in", args=[check_in_code(registration)])
    for outsider in (tehran_staff, organiser_user, registration.company.members.get().user):
        client.force_login(outsider)
        response = client.get(path)
        assert response.status_code == 404
        assert "ریخته‌گری البرز" not in response.content.decode()
        assert client.post(path, {"attended": "3"}).status_code == 404
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_a_forged_or_altered_code_opens_nothing(client, registration, qom_staff):
    other_tour = qom_tour()
    forged = [
        signing.Signer().sign_object([registration.pk, registration.tour_id]),  # no salt: not ours
        signing.dumps([registration.pk, registration.tour_id], salt="tours.check-in"),  # another kind of code
        signing.Signer(salt="tours.check-in").sign_object([registration.pk, other_tour.pk])[:-2] + "xx",
        check_in_code(registration)[:-1] + ("A" if check_in_code(registration)[-1] != "A" else "B"),
        "1",
    ]
    client.force_login(qom_staff)
    assert client.get(reverse("tours:check-in", args=[check_in_code(registration)])).status_code == 200
    for code in forged:
        assert client.get(reverse("tours:check-in", args=[code])).status_code == 404, code


def test_a_code_is_bound_to_its_tour(client, registration, qom_staff):
    """A genuine code that names a registration with another tour (as if reused) opens nothing."""
    other_tour = qom_tour()
    code = signing.Signer(salt="tours.check-in").sign_object([registration.pk, other_tour.pk])
    client.force_login(qom_staff)
    assert client.get(reverse("tours:check-in", args=[code])).status_code == 404


def test_the_organiser_checks_a_group_in_by_its_code(client, registration, qom_staff):
    under_way(registration.tour)
    path = reverse("tours:check-in", args=[check_in_code(registration)])
    client.force_login(qom_staff)
    page = client.get(path).content.decode()
    assert "ریخته‌گری البرز" in page and "check-in-button" in page and 'value="۳"' in page

    response = client.post(path, {"attended": "۲"}, follow=True)
    registration.refresh_from_db()
    assert (registration.attended, registration.checked_in_at is not None) == (2, True)
    assert Tour.objects.get(pk=registration.tour_id).status == Tour.Status.HELD
    text = response.content.decode()
    assert "check-in-button" not in text and 'id="check-in-state"' in text


def test_checking_in_twice_says_when_and_changes_nothing(client, registration, qom_staff):
    under_way(registration.tour)
    path = reverse("tours:check-in", args=[check_in_code(registration)])
    client.force_login(qom_staff)
    client.post(path, {"attended": "3"})
    registration.refresh_from_db()
    first = registration.checked_in_at

    again = client.post(path, {"attended": "1"}, follow=True).content.decode()
    registration.refresh_from_db()
    assert (registration.attended, registration.checked_in_at) == (3, first)
    at = timezone.localtime(first).strftime("%H:%M").translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert f"پیش‌تر در ساعت {at} حضور ثبت شده است" in again or f"at {at}" in again


def test_a_group_the_desk_marked_absent_is_checked_in_when_it_arrives_late(client, registration, qom_staff):
    """0 at the desk records a no-show, not a check-in: scanning the code later checks the
    group in (one meaning of "checked in": at least one of its people came)."""
    from tours.services import attendance_mark

    under_way(registration.tour)
    attendance_mark(registration=registration, attended=0, by=qom_staff)
    path = reverse("tours:check-in", args=[check_in_code(registration)])
    client.force_login(qom_staff)
    client.post(path, {"attended": "2"})
    registration.refresh_from_db()
    assert registration.attended == 2


def test_waitlisted_and_cancelled_registrations_are_refused_with_a_clear_message(client, registration, qom_staff):
    waiting = tour_register(tour=registration.tour, company=SupplierFactory(), attendees=3)
    other = tour_register(tour=registration.tour, company=SupplierFactory(), attendees=1)
    registration_cancel(registration=other)
    under_way(registration.tour)
    client.force_login(qom_staff)
    for reg, words in ((waiting, "waiting list"), (other, "was cancelled")):
        path = reverse("tours:check-in", args=[check_in_code(reg)])
        from django.utils import translation

        with translation.override("en"):
            en_path = reverse("tours:check-in", args=[check_in_code(reg)])
        page = client.get(en_path).content.decode()
        assert words in page and "check-in-button" not in page
        client.post(path, {"attended": "1"})
        reg.refresh_from_db()
        assert reg.checked_in_at is None and reg.attended is None


def test_check_in_opens_on_the_day_of_the_tour(client, registration, qom_staff):
    path = reverse("tours:check-in", args=[check_in_code(registration)])
    client.force_login(qom_staff)
    page = client.get(path).content.decode()
    assert "check-in-button" not in page and "روز" in page
    client.post(path, {"attended": "3"})
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_the_check_in_page_runs_a_fixed_number_of_queries(client, registration, qom_staff, django_assert_num_queries):
    under_way(registration.tour)
    path = reverse("tours:check-in", args=[check_in_code(registration)])
    client.force_login(qom_staff)
    client.get(path)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(path)
    Tour.objects.filter(pk=registration.tour_id).update(capacity=200)
    for n in range(20):
        TourRegistration.objects.create(tour=registration.tour, company=SupplierFactory(), attendees=1)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(path)
