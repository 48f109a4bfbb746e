"""Reads for conversations: a thread's messages as one reader may see them (a fixed number
of queries whatever the thread's length), how each author is shown to that reader, and a
need's documents with their openings."""

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from conversations import policies
from conversations.models import Attachment, DocumentOpening, Message, NeedDocument
from matchmaking.policies import Actor
from matchmaking.selectors import interest_with_related


def thread_interest(pk: int):
    """The declaration whose thread this is, with what the thread page shows (one query)."""
    return interest_with_related(pk)


def person_name(user) -> str:
    if user is None:
        return _("a former member")
    return user.get_full_name() or user.get_username()


def author_label(message: Message, *, reader_side: str, reader_user, need, supplier_name: str) -> str:
    """How a message's author is shown to one reader: people by name to their own side and
    to staff; across sides by company, the buyer as the need lets this reader see it
    (Need.buyer_label_for: "a manufacturer in <province>" until it reveals itself), so a
    supplier never reads the name of an anonymous buyer's people; staff as "programme staff"."""
    if message.author_side == "staff":
        if reader_side == "staff":
            return _("programme staff (%(name)s)") % {"name": person_name(message.author)}
        return _("programme staff")
    if reader_side in (message.author_side, "staff"):
        return person_name(message.author)
    if message.author_side == "buyer":
        return need.buyer_label_for(reader_user)
    return supplier_name


def thread_messages(*, interest, actor: Actor) -> list[Message]:
    """The thread's messages `actor` may see, oldest first, each with `shown_author` and its
    attachments: two queries for any number of messages and files."""
    queryset = policies.visible_messages(
        actor,
        Message.objects.filter(interest=interest)
        .select_related("author", "hidden_by")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id"))),
    )
    messages = list(queryset)
    need, supplier_name = interest.need, interest.supplier.name
    for message in messages:
        message.shown_author = author_label(
            message, reader_side=actor.side, reader_user=actor.user, need=need, supplier_name=supplier_name,
        )
        message.by_reader = message.author_id == actor.user.pk
    return messages


def need_documents(need) -> QuerySet[NeedDocument]:
    return NeedDocument.objects.filter(need=need).select_related("uploaded_by").order_by("-created_at", "-id")


def document_openings(need, *, limit: int = 200) -> QuerySet[DocumentOpening]:
    """Who opened the need's documents, latest first (for the buyer and staff)."""
    return (
        DocumentOpening.objects.filter(document__need=need)
        .select_related("user", "document")
        .order_by("-opened_at", "-id")[:limit]
    )
