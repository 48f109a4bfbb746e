"""Who is told about a new message, composed for each reader: one core.mail.Letter per
person, in their language, with event "message".

The other side hears: a buyer's message goes to the supplier's people, a supplier's to the
buyer's people (and to the staff serving the province when the buyer is anonymous or has
no address, as matchmaking.notifications does for declarations), a staff message to both.
Each reader sees the author as conversations.selectors.author_label says, so a supplier's
letter never names an anonymous buyer's people; after the buyer revealed itself to the
supplier, its name."""

from operator import attrgetter

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.notifications import in_their_languages
from conversations.models import Message
from conversations.selectors import author_label
from core.mail import Letter, absolute_url, compose_letter
from matchmaking.models import Interest
from matchmaking.notifications import Recipient, interest_recipients

EXCERPT = 1000


def _buyer_side(interest: Interest) -> list[Recipient]:
    # Who hears a declaration on the buyer's side: its people, and the mediating staff.
    return interest_recipients(interest, "declared")


def _supplier_side(interest: Interest) -> list[Recipient]:
    # Who hears a decision on the supplier's side: its people.
    return interest_recipients(interest, Interest.Status.SHORTLISTED)


def message_recipients(message: Message) -> list[Recipient]:
    interest = message.interest
    if message.author_side == "buyer":
        readers = _supplier_side(interest)
    elif message.author_side == "supplier":
        readers = _buyer_side(interest)
    else:
        readers = _buyer_side(interest) + _supplier_side(interest)
    author_email = (getattr(message.author, "email", "") or "").strip().lower()
    seen, out = set(), []
    for reader in readers:
        key = reader.email.strip().lower()
        if key in seen or key == author_email or (reader.user is not None and reader.user.pk == message.author_id):
            continue
        seen.add(key)
        out.append(reader)
    return out


def _letter(message: Message, reader: Recipient) -> Letter:
    interest = message.interest
    need = interest.need
    author = author_label(message, reader_side=reader.side, reader_user=reader.user, need=need,
                          supplier_name=interest.supplier.name)
    lines = [_("%(author)s wrote:") % {"author": author}]
    if message.body:
        lines.append(message.body if len(message.body) <= EXCERPT else message.body[:EXCERPT] + "…")
    files = len(message.attachments.all())
    if files:
        lines.append(ngettext("%(n)s file is attached; open the conversation to see it.",
                              "%(n)s files are attached; open the conversation to see them.", files) % {"n": files})
    lines.append(_("Reply in the conversation on the portal; replies to this e-mail are not read."))
    link = absolute_url(reverse("conversations:thread", args=[interest.pk]))
    subject = _("New message about “%(need)s”") % {"need": need.display_title}
    return compose_letter(to=reader.email, subject=subject, lines=lines, link=link, user=reader.user, event="message")


def message_letters(message: Message) -> list[Letter]:
    """The letters about a new message; none once it is withdrawn or hidden."""
    if not message.is_shown:
        return []
    return in_their_languages(message_recipients(message), lambda reader: _letter(message, reader),
                              user_of=attrgetter("user"))
