"""Conversation pages and the only way to private files. Thin: each view loads the object
with the caller's part in it (404 for anyone with none) and calls one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from conversations import policies, selectors, services
from conversations.forms import HideForm, MessageForm, NeedDocumentForm
from conversations.models import Attachment, Message, NeedDocument
from core.forms import attach_errors
from needs.models import Need


def _thread_or_404(request, pk):
    try:
        interest = selectors.thread_interest(pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    actor = policies.thread_actor(request.user, interest)
    if actor is None:
        raise Http404
    return interest, actor


def _message_or_404(request, pk):
    message = get_object_or_404(Message.objects.select_related("interest"), pk=pk)
    interest, actor = _thread_or_404(request, message.interest_id)
    if not policies.may_see_message(actor, message):
        raise Http404
    return message, actor


def _refused(request, error) -> None:
    messages.error(request, " ".join(error.messages) if isinstance(error, ValidationError) else str(error))


def _file_response(stored, *, inline: bool = False):
    try:
        handle = stored.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type=stored.content_type, as_attachment=not inline,
                            filename=stored.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@never_cache
def thread(request, pk):
    interest, actor = _thread_or_404(request, pk)
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_post(
                interest=interest, by=request.user, body=form.cleaned_data["body"],
                files=[form.cleaned_data["attachment"]],
            )
        except (ValidationError, PermissionDenied) as error:
            attach_errors(form, error if isinstance(error, ValidationError) else ValidationError(str(error)))
        else:
            messages.success(request, _("Your message is sent."))
            return redirect("conversations:thread", pk=interest.pk)
    need = interest.need
    context = {
        "interest": interest, "need": need, "actor": actor, "form": form,
        "thread": selectors.thread_messages(interest=interest, actor=actor),
        "hide_form": HideForm() if actor.is_staff else None,
        "may_reveal": policies.may_reveal(actor, need) and not need.reveals.filter(company=interest.supplier).exists(),
        "buyer_label": need.buyer_label_for(request.user),
        "may_open_documents": policies.may_open_need_documents(request.user, need),
    }
    return render(request, "conversations/thread.html", context)


@login_required
@require_POST
def reveal_view(request, pk):
    interest, actor = _thread_or_404(request, pk)
    try:
        services.thread_reveal_buyer(interest=interest, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    else:
        messages.success(request, _("Your company's name is now shown to this supplier."))
    return redirect("conversations:thread", pk=interest.pk)


@login_required
@require_POST
def withdraw_view(request, pk):
    message, actor = _message_or_404(request, pk)
    try:
        services.message_withdraw(message=message, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    else:
        messages.success(request, _("Your message is withdrawn."))
    return redirect("conversations:thread", pk=message.interest_id)


@login_required
@require_POST
def hide_view(request, pk):
    message, actor = _message_or_404(request, pk)
    form = HideForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say why the message is hidden."))
        services.message_hide(message=message, by=request.user, reason=form.cleaned_data["reason"])
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    else:
        messages.success(request, _("The message is hidden from the companies."))
    return redirect("conversations:thread", pk=message.interest_id)


@login_required
def attachment_download(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("message"), pk=pk)
    _message_or_404(request, attachment.message_id)
    return _file_response(attachment)


# --- a need's documents -----------------------------------------------------------------
@login_required
@never_cache
def need_documents_view(request, pk):
    need = get_object_or_404(Need.objects.select_related("buyer", "province"), pk=pk)
    if not policies.may_open_need_documents(request.user, need):
        raise Http404
    manages = policies.may_manage_need_documents(request.user, need)
    form = NeedDocumentForm(request.POST or None, request.FILES or None) if manages else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.need_document_add(need=need, by=request.user, upload=form.cleaned_data["file"],
                                           title=form.cleaned_data["title"])
            except (ValidationError, PermissionDenied) as error:
                attach_errors(form, error if isinstance(error, ValidationError) else ValidationError(str(error)))
            else:
                messages.success(request, _("The document is added."))
                return redirect("conversations:need-documents", pk=need.pk)
    context = {
        "need": need, "form": form, "manages": manages,
        "documents": list(selectors.need_documents(need)),
        "openings": list(selectors.document_openings(need)) if manages else [],
    }
    return render(request, "conversations/need_documents.html", context)


@login_required
def need_document_download(request, pk):
    document = get_object_or_404(NeedDocument.objects.select_related("need"), pk=pk)
    try:
        services.need_document_open(document=document, by=request.user)
    except PermissionDenied:
        raise Http404 from None
    return _file_response(document)
