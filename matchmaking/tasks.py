"""Background tasks: notification mail, reminders and expiry.

Services enqueue them with transaction.on_commit, so nothing is sent for a change that
rolled back and no mail server slows a request. `python manage.py db_worker` runs them
with the database backend (TASKS_IMMEDIATE=1 runs them inline)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from companies.selectors import member_emails
from exhibitions.models import StaffProvince
from matchmaking.models import Interest, Meeting
from portal.templatetags.portal_tags import datetime_


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _staff_emails(province_id: int) -> list[str]:
    return sorted(
        {
            email
            for email in StaffProvince.objects.filter(province_id=province_id, user__is_active=True).values_list(
                "user__email", flat=True
            )
            if email
        }
    )


def _send(*, to: list[str], subject: str, lines: list[str], link: str, attachment: bytes | None = None) -> int:
    if not to:
        return 0
    body = "\n\n".join([*lines, link, _("Permanent domestic-manufacturing exhibitions")])
    message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to)
    if attachment is not None:
        message.attach("meeting.ics", attachment, "text/calendar; charset=utf-8; method=REQUEST")
    return message.send()


@task()
def notify_interest(interest_id: int, event: str) -> int:
    """Mail about a readiness declaration: the buyer (and the province's staff when the
    buyer is anonymous) hears of a new one; the supplier hears the buyer's decision."""
    interest = Interest.objects.select_related("need__buyer", "supplier").get(pk=interest_id)
    need = interest.need
    with translation.override(settings.LANGUAGE_CODE):
        emails = member_emails([need.buyer_id, interest.supplier_id])
        link = _absolute(reverse("matchmaking:interest-detail", args=[interest.pk]))
        title = need.display_title
        if event in ("declared", "withdrawn"):
            to = list(emails[need.buyer_id])
            if need.is_anonymous or not to:
                to += _staff_emails(need.province_id)
            subject = (
                _("New readiness declaration for “%(need)s”") if event == "declared"
                else _("A readiness declaration for “%(need)s” was withdrawn")
            ) % {"need": title}
            lines = [
                _("%(supplier)s declared readiness to supply “%(need)s”.") % {"supplier": interest.supplier.name, "need": title}
                if event == "declared"
                else _("%(supplier)s withdrew its declaration.") % {"supplier": interest.supplier.name}
            ]
        elif event == Interest.Status.SHORTLISTED:
            to = emails[interest.supplier_id]
            subject = _("Your declaration for “%(need)s” was shortlisted") % {"need": title}
            lines = [_("The buyer shortlisted your readiness declaration; a meeting can now be proposed.")]
        elif event == Interest.Status.DECLINED:
            to = emails[interest.supplier_id]
            subject = _("Your declaration for “%(need)s” was declined") % {"need": title}
            lines = [_("Reason: %(reason)s") % {"reason": interest.decline_reason}]
        else:
            return 0
        return _send(to=to, subject=subject, lines=lines, link=link)


def _meeting_recipients(meeting: Meeting, event: str, emails: dict[int, list[str]]) -> list[str]:
    from matchmaking.services.meetings import awaiting_sides

    by_side = {"buyer": emails[meeting.buyer_id], "supplier": emails[meeting.supplier_id]}
    if meeting.interest.need.is_anonymous or not by_side["buyer"]:
        by_side["buyer"] = by_side["buyer"] + _staff_emails(meeting.interest.need.province_id)
    if event == "proposed":
        sides = awaiting_sides(meeting)
    elif event == "declined":
        sides = {"buyer", "supplier"} - awaiting_sides(meeting) or {"buyer", "supplier"}
    else:
        sides = {"buyer", "supplier"}
    return sorted({email for side in sides for email in by_side[side]})


@task()
def notify_meeting(meeting_id: int, event: str) -> int:
    """Mail about a meeting: proposed, confirmed (with the .ics), declined, cancelled,
    expired, or the reminder a day before (with the .ics)."""
    from matchmaking.ics import meeting_calendar

    meeting = Meeting.objects.select_related(
        "interest__need__province", "buyer", "supplier", "room__exhibition", "proposed_by"
    ).get(pk=meeting_id)
    with translation.override(settings.LANGUAGE_CODE):
        emails = member_emails([meeting.buyer_id, meeting.supplier_id])
        need = meeting.interest.need
        when = datetime_(meeting.starts_at)
        subjects = {
            "proposed": _("Meeting proposed for %(when)s"),
            "confirmed": _("Meeting confirmed for %(when)s"),
            "declined": _("Meeting of %(when)s declined"),
            "cancelled": _("Meeting of %(when)s cancelled"),
            "expired": _("Meeting proposal for %(when)s expired"),
            "reminder": _("Reminder: meeting tomorrow, %(when)s"),
        }
        if event not in subjects:
            return 0
        lines = [
            _("Need: %(need)s") % {"need": need.display_title},
            _("Mode: %(mode)s") % {"mode": meeting.get_mode_display()},
        ]
        if meeting.room_id:
            lines.append(_("Room: %(room)s") % {"room": f"{meeting.room.name}, {meeting.room.exhibition.title}"})
        if meeting.response_note:
            lines.append(_("Note: %(note)s") % {"note": meeting.response_note})
        if event == "proposed":
            lines.append(_("Please accept, decline or propose another time before the proposal expires."))
        attachment = None
        if event in ("confirmed", "reminder", "cancelled"):
            # The video link itself stays on the site, behind the participants' login.
            attachment = meeting_calendar(meeting, recipients=emails)
        return _send(
            to=_meeting_recipients(meeting, event, emails),
            subject=subjects[event] % {"when": when},
            lines=lines,
            link=_absolute(reverse("matchmaking:meeting-detail", args=[meeting.pk])),
            attachment=attachment,
        )


@task()
def send_meeting_reminder(meeting_id: int) -> int:
    """The reminder a day before a confirmed meeting; sent at most once."""
    from matchmaking.services.meetings import meeting_mark_reminded

    if not meeting_mark_reminded(meeting_id=meeting_id):
        return 0
    return notify_meeting.call(meeting_id, "reminder")


@task()
def expire_meeting_proposals() -> int:
    from matchmaking.services.meetings import meeting_expire_proposals

    return meeting_expire_proposals()


@task()
def send_activation_email(user_id: int, language: str) -> int:
    """The sign-up confirmation link, in the language the user signed up in."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = get_user_model().objects.get(pk=user_id)
    if user.is_active:
        return 0
    with translation.override(language):
        path = reverse(
            "matchmaking:activate",
            args=[urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)],
        )
        return _send(
            to=[user.email],
            subject=_("Confirm your email address"),
            lines=[
                _("Hello %(name)s,") % {"name": user.get_full_name() or user.get_username()},
                _("Open this link to confirm your email address and activate your account:"),
            ],
            link=_absolute(path),
        )
