"""Who is told what, composed for each person: one core.mail.Letter per recipient.

Nobody reads another recipient's address, and each letter (and its calendar file) shows the
buyer as the need says that reader may see it: an anonymous buyer is "a manufacturer in
<province>" to the supplier, named to its own members and to the staff who mediate for it.
The buyer side of an anonymous need (or of a buyer without any address) is told through
the staff of the need's province. Each letter, and its calendar file, is in its reader's
language (accounts.notifications.in_their_languages); a company's own address reads Persian.
Tasks load the object, call a function here and send."""

from dataclasses import dataclass
from operator import attrgetter

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.notifications import in_their_languages
from companies.selectors import company_mailboxes
from core.formats import datetime_
from core.mail import Attachment, Letter, absolute_url, compose_letter
from exhibitions.selectors import staff_serving
from matchmaking.ics import meeting_calendar
from matchmaking.models import Interest, Meeting
from matchmaking.policies import awaiting_sides
from needs.models import Need

MEETING_EVENTS = ("proposed", "confirmed", "declined", "cancelled", "expired", "reminder")
MEETING_EVENTS_WITH_CALENDAR = ("confirmed", "reminder", "cancelled")


@dataclass(frozen=True)
class Recipient:
    email: str
    user: object | None  # None for a company's own mailbox: it sees what the public sees
    side: str  # "buyer", "supplier" or "staff"


# --- who -------------------------------------------------------------------------------
def _company_people(sides: dict[int, str]) -> dict[int, list[Recipient]]:
    """Each company's people (companies.selectors.company_mailboxes), on its side."""
    return {
        pk: [Recipient(box.email, box.user, sides[pk]) for box in boxes]
        for pk, boxes in company_mailboxes(sides).items()
    }


def _buyer_side(need: Need, people: list[Recipient]) -> list[Recipient]:
    """The buyer's people, and the province's staff who mediate for an anonymous buyer (or
    for one that has no address)."""
    if people and not need.is_anonymous:
        return people
    staff = staff_serving(need.province_id).order_by("email")
    return people + [Recipient(user.email, user, "staff") for user in staff if user.email]


def _unique(recipients: list[Recipient]) -> list[Recipient]:
    seen, out = set(), []
    for recipient in recipients:
        key = recipient.email.strip().lower()
        if key not in seen:
            seen.add(key)
            out.append(recipient)
    return out


# --- readiness declarations ------------------------------------------------------------
def interest_recipients(interest: Interest, event: str) -> list[Recipient]:
    """A new or withdrawn declaration goes to the buyer side; a decision to the supplier."""
    need = interest.need
    people = _company_people({need.buyer_id: "buyer", interest.supplier_id: "supplier"})
    if event in ("declared", "withdrawn"):
        return _unique(_buyer_side(need, people[need.buyer_id]))
    if event in (Interest.Status.SHORTLISTED, Interest.Status.DECLINED):
        return _unique(people[interest.supplier_id])
    return []


def _interest_text(interest: Interest, event: str) -> tuple[str, list[str]]:
    title, supplier = interest.need.display_title, interest.supplier.name
    if event == "declared":
        return (_("New readiness declaration for “%(need)s”") % {"need": title},
                [_("%(supplier)s declared readiness to supply “%(need)s”.") % {"supplier": supplier, "need": title}])
    if event == "withdrawn":
        return (_("A readiness declaration for “%(need)s” was withdrawn") % {"need": title},
                [_("%(supplier)s withdrew its declaration.") % {"supplier": supplier}])
    if event == Interest.Status.SHORTLISTED:
        return (_("Your declaration for “%(need)s” was shortlisted") % {"need": title},
                [_("The buyer shortlisted your readiness declaration; a meeting can now be proposed.")])
    return (_("Your declaration for “%(need)s” was declined") % {"need": title},
            [_("Reason: %(reason)s") % {"reason": interest.decline_reason}])


def interest_letters(interest: Interest, event: str) -> list[Letter]:
    """The letters about a readiness declaration: `declared`, `withdrawn`, `shortlisted`
    or `declined`; none for any other event."""

    def letter(recipient: Recipient) -> Letter:
        subject, lines = _interest_text(interest, event)
        link = absolute_url(reverse("matchmaking:interest-detail", args=[interest.pk]))
        kind = "declaration" if event in ("declared", "withdrawn") else "decision"
        return compose_letter(to=recipient.email, subject=subject, lines=lines, link=link, user=recipient.user, event=kind)

    return in_their_languages(interest_recipients(interest, event), letter, user_of=attrgetter("user"))


# --- meetings --------------------------------------------------------------------------
def meeting_recipients(meeting: Meeting, event: str) -> list[Recipient]:
    """A proposal goes to the side(s) that may answer it; a decline to the side(s) that did
    not decline; every other event to both sides."""
    need = meeting.interest.need
    people = _company_people({meeting.buyer_id: "buyer", meeting.supplier_id: "supplier"})
    by_side = {"buyer": _buyer_side(need, people[meeting.buyer_id]), "supplier": people[meeting.supplier_id]}
    if event == "proposed":
        sides = awaiting_sides(meeting)
    elif event == "declined":
        sides = {"buyer", "supplier"} - awaiting_sides(meeting) or {"buyer", "supplier"}
    else:
        sides = {"buyer", "supplier"}
    return _unique([recipient for side in ("buyer", "supplier") if side in sides for recipient in by_side[side]])


def _meeting_subject(event: str) -> str:
    return {
        "proposed": _("Meeting proposed for %(when)s"),
        "confirmed": _("Meeting confirmed for %(when)s"),
        "declined": _("Meeting of %(when)s declined"),
        "cancelled": _("Meeting of %(when)s cancelled"),
        "expired": _("Meeting proposal for %(when)s expired"),
        "reminder": _("Reminder: meeting tomorrow, %(when)s"),
    }[event]


def _meeting_letter(meeting: Meeting, event: str, recipient: Recipient) -> Letter:
    need = meeting.interest.need
    lines = [
        _("Need: %(need)s") % {"need": need.display_title},
        _("Buyer: %(name)s") % {"name": need.buyer_label_for(recipient.user)},
        _("Supplier: %(name)s") % {"name": meeting.supplier.name},
        _("Mode: %(mode)s") % {"mode": meeting.get_mode_display()},
    ]
    if meeting.room_id:
        lines.append(_("Room: %(room)s") % {"room": f"{meeting.room.name}, {meeting.room.exhibition.title}"})
    if meeting.response_note:
        lines.append(_("Note: %(note)s") % {"note": meeting.response_note})
    if event == "proposed":
        lines.append(_("Please accept, decline or propose another time before the proposal expires."))
    attachments = []
    # The calendar file carries the video link: the two companies' people only, as on the site.
    if event in MEETING_EVENTS_WITH_CALENDAR and recipient.side != "staff":
        ics = meeting_calendar(meeting, viewer=recipient.user, email=recipient.email)
        attachments.append(Attachment("meeting.ics", ics.content, ics.mimetype))
    subject = _meeting_subject(event) % {"when": datetime_(meeting.starts_at)}
    link = absolute_url(reverse("matchmaking:meeting-detail", args=[meeting.pk]))
    return compose_letter(
        to=recipient.email, subject=subject, lines=lines, link=link, attachments=attachments,
        user=recipient.user, event="meeting",
    )


def meeting_letters(meeting: Meeting, event: str) -> list[Letter]:
    """The letters about a meeting: proposed, confirmed, declined, cancelled, expired, or the
    reminder a day before; confirmations, reminders and cancellations carry the reader's
    own .ics."""
    if event not in MEETING_EVENTS:
        return []
    return in_their_languages(
        meeting_recipients(meeting, event), lambda recipient: _meeting_letter(meeting, event, recipient), user_of=attrgetter("user"),
    )




# --- invitations to declare --------------------------------------------------------------
def invitation_letters(invitation) -> list[Letter]:
    """An invitation to declare readiness for a need, to each of the supplier's people (and
    its own address), each composed for its reader: the buyer as `buyer_label_for(reader)`
    lets that reader see it, so an anonymous buyer stays "a manufacturer in <province>" and
    nothing names who invited."""
    need = invitation.need
    people = _company_people({invitation.supplier_id: "supplier"})[invitation.supplier_id]

    def letter(recipient: Recipient) -> Letter:
        subject = _("You are invited to declare readiness for “%(need)s”") % {"need": need.display_title}
        lines = [
            _("%(buyer)s invites your company to declare readiness to supply “%(need)s”.")
            % {"buyer": need.buyer_label_for(recipient.user), "need": need.display_title},
            _("HS code: %(code)s") % {"code": need.hs_code},
            _("Open the need and declare your capacity, lead time and price if you can supply it."),
        ]
        link = absolute_url(reverse("matchmaking:interest-declare", args=[need.pk]))
        return compose_letter(
            to=recipient.email, subject=subject, lines=lines, link=link, user=recipient.user, event="invitation",
        )

    return in_their_languages(_unique(people), letter, user_of=attrgetter("user"))
