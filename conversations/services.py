"""Writes on conversations: post, withdraw and hide messages; the buyer's reveal from a
thread; a need's documents and the log of their openings. Views and the admin call these."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conversations import policies
from conversations.files import check_upload
from conversations.models import Attachment, DocumentOpening, Message, NeedDocument
from core.text import normalize_typed_text
from matchmaking.models import Interest
from matchmaking.policies import ensure_actor_may_act
from needs.models import BuyerReveal, Need
from needs.services import need_reveal_buyer

MAX_FILES_PER_MESSAGE = 5


def _ensure_within_rate(user, now: datetime.datetime) -> None:
    """At most CONVERSATION_MESSAGES_PER_HOUR messages a user writes in any hour, counted
    from the stored messages (withdrawn ones count: they were sent)."""
    limit = settings.CONVERSATION_MESSAGES_PER_HOUR
    written = Message.objects.filter(author=user, created_at__gt=now - datetime.timedelta(hours=1)).count()
    if written >= limit:
        raise ValidationError(
            ngettext(
                "You have written %(n)s message in the last hour, the most allowed; please wait a while before writing again.",
                "You have written %(n)s messages in the last hour, the most allowed; please wait a while before writing again.",
                limit,
            ) % {"n": limit},
            code="rate_limited",
        )


@transaction.atomic
def message_post(*, interest: Interest, by, body: str = "", files=()) -> Message:
    """Write a message (with up to MAX_FILES_PER_MESSAGE files) in a declaration's thread.
    The writer must be a party (PermissionDenied), their company verified, within the hourly
    limit, with some text or a file; every file must pass conversations.files. Nothing is
    stored unless all of it is; the other side is told after commit."""
    from conversations.tasks import notify_message

    actor = policies.thread_party(by, interest)
    ensure_actor_may_act(actor)
    files = [f for f in files if f]
    if len(files) > MAX_FILES_PER_MESSAGE:
        raise ValidationError(_("At most %(n)s files can be attached to one message.") % {"n": MAX_FILES_PER_MESSAGE})
    _ensure_within_rate(by, timezone.now())
    checked = [check_upload(upload) for upload in files]
    message = Message(interest=interest, author=by, author_side=actor.side, body=body or "")
    message.full_clean()  # the typed text as typed (core.text), its length
    if not message.body and not checked:
        raise ValidationError({"body": _("Write a message or attach a file.")})
    message.save()
    _store_files(checked, lambda item: Attachment(
        message=message, original_name=item.original_name, content_type=item.content_type, size=item.size,
    ))
    transaction.on_commit(lambda: notify_message.enqueue(message.pk))
    return message


def _store_files(checked, row_for) -> list:
    """Write each checked file under its random name and save its row; a failure removes
    the files already written, so a refused or failed write leaves nothing behind."""
    rows = []
    try:
        for item in checked:
            row = row_for(item)
            row.file.save(item.content.name, item.content, save=False)
            rows.append(row)
            row.save()
    except Exception:
        for row in rows:
            row.file.delete(save=False)
        raise
    return rows


@transaction.atomic
def message_withdraw(*, message: Message, by) -> Message:
    """The author takes back their own message: it disappears for the other party."""
    message = Message.objects.select_for_update().select_related("interest__need").get(pk=message.pk)
    actor = policies.thread_party(by, message.interest)
    policies.ensure_may_withdraw(actor, message)
    message.withdrawn_at = timezone.now()
    message.save(update_fields=["withdrawn_at"])
    return message


@transaction.atomic
def message_hide(*, message: Message, by, reason: str) -> Message:
    """Staff serving the need's province hide a message, with a reason kept for staff."""
    message = Message.objects.select_for_update().select_related("interest__need").get(pk=message.pk)
    actor = policies.thread_party(by, message.interest)
    policies.ensure_may_hide(actor, message)
    message.hidden_reason = reason
    message.full_clean()
    if not message.hidden_reason:
        raise ValidationError({"reason": _("Say why the message is hidden.")})
    message.hidden_at, message.hidden_by = timezone.now(), by
    message.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    return message


def thread_reveal_buyer(*, interest: Interest, by) -> BuyerReveal:
    """From a thread, the anonymous buyer's member reveals the buyer to this supplier
    (needs.services.need_reveal_buyer keeps the reveal)."""
    actor = policies.thread_party(by, interest)
    if not policies.may_reveal(actor, interest.need):
        raise PermissionDenied(_("Only the buyer's own members can reveal the buyer."))
    return need_reveal_buyer(interest.need, to_company=interest.supplier, by=by)


# --- a need's documents -----------------------------------------------------------------
@transaction.atomic
def need_document_add(*, need: Need, by, upload, title: str = "") -> NeedDocument:
    """A buyer's member or serving staff attach a drawing or specification to a need."""
    if not policies.may_manage_need_documents(by, need):
        raise PermissionDenied(_("Only the buyer's members and the province's staff can add documents to this need."))
    item = check_upload(upload)
    [document] = _store_files([item], lambda item: NeedDocument(
        need=need, title=normalize_typed_text(title)[:200], uploaded_by=by, original_name=item.original_name,
        content_type=item.content_type, size=item.size,
    ))
    return document


def need_document_open(*, document: NeedDocument, by) -> DocumentOpening:
    """Record that `by` opened the document; PermissionDenied for anyone who may not."""
    if not policies.may_open_need_documents(by, document.need):
        raise PermissionDenied(_("You cannot open this document."))
    return DocumentOpening.objects.create(document=document, user=by)
