"""The one mailer: every message the portal sends goes through `send_letter`.

A letter has exactly one recipient. Who may read what (an anonymous buyer's name, a video
link, a calendar file) is decided per person by the app that composes the letter, so a
message never carries one party's details to another in a shared To line."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import gettext as _

from core.digits import persian_digits_in_text
from core.i18n import is_persian


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


@dataclass(frozen=True)
class Letter:
    """One message to one person. `user_id` is the reader's account (None for an address
    that is nobody's, such as a company's own), `event` what it is about (the key of the
    reader's channel preferences, notices.models.EVENTS) and `link` where to act; with a
    reader, notices.services.deliver also puts it in their inbox and, if they chose, an SMS."""

    to: str
    subject: str
    body: str
    attachments: tuple[Attachment, ...] = field(default=())
    user_id: int | None = None
    event: str = ""
    link: str = ""
    # Extra mail headers (e.g. List-Unsubscribe and List-Unsubscribe-Post, RFC 8058).
    headers: dict = field(default_factory=dict, hash=False, compare=False)


def absolute_url(path: str) -> str:
    """A site path as the absolute link mail and QR codes carry (SITE_URL, never the
    request's Host header)."""
    return settings.SITE_URL.rstrip("/") + path


def compose_letter(
    *, to: str, subject: str, lines: list[str], link: str = "", attachments=(), user=None, event: str = "",
) -> Letter:
    """A letter in the portal's usual shape: the paragraphs, the link to act on, and the
    programme's name as the signature (in the active language; a Persian letter's numbers
    in Persian digits). `user` is the reader's account, if the address is someone's, and
    `event` what the letter is about (see Letter)."""
    body = "\n\n".join([*lines, *([link] if link else []), _("Permanent domestic-manufacturing exhibitions")])
    if is_persian():
        # Numbers in Persian digits, links and addresses as typed (core.digits).
        subject, body = persian_digits_in_text(subject), persian_digits_in_text(body)
    return Letter(
        to=to, subject=subject, body=body, attachments=tuple(attachments),
        user_id=getattr(user, "pk", user), event=event, link=link,
    )


def send_letter(letter: Letter) -> int:
    """Send one letter to its one recipient; returns 1 when sent, 0 without an address."""
    if not letter.to or not letter.to.strip():
        return 0
    message = EmailMessage(
        subject=" ".join(letter.subject.split()),  # a header cannot hold a line break
        body=letter.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[letter.to.strip()],
        headers=dict(letter.headers) or None,
    )
    for attachment in letter.attachments:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    return message.send()


def send_letters(letters) -> int:
    """Send each letter on its own; returns how many went out."""
    return sum(send_letter(letter) for letter in letters)
