"""The inbox and the channel preferences of the signed-in user."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.forms import attach_errors
from notices.forms import CHANNEL_LABELS, PreferencesForm
from notices.selectors import inbox, preferences_of
from notices.services import (
    notification_open,
    notifications_mark_all_read,
    preferences_save,
)

PER_PAGE = 20


@never_cache
@login_required
def inbox_view(request):
    page = Paginator(inbox(user=request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notices/inbox.html", {"page": page, "notifications": list(page.object_list)})


@require_POST
@login_required
def open_view(request, pk: int):
    """Mark one notification read and go where it leads (this site only)."""
    return redirect(notification_open(user=request.user, pk=pk) or "notices:inbox")


@require_POST
@login_required
def mark_all_read_view(request):
    notifications_mark_all_read(user=request.user)
    messages.success(request, _("All your notifications are marked as read."))
    return redirect("notices:inbox")


@never_cache
@login_required
def preferences_view(request):
    channels, phone = preferences_of(user=request.user)
    form = PreferencesForm(request.POST or None, channels=channels, initial={"phone": phone})
    if request.method == "POST" and form.is_valid():
        try:
            preferences_save(user=request.user, chosen=form.chosen(), phone=form.cleaned_data["phone"])
        except ValidationError as error:
            # SMS without a number: the message belongs beside the number.
            attach_errors(form, ValidationError({"phone": error.messages}))
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notices:preferences")
    return render(request, "notices/preferences.html", {"form": form, "channel_labels": CHANNEL_LABELS})
