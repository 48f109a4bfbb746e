"""Readiness declarations, meetings, calendar files and outcomes. Thin: each view loads
the object with the caller's part in it (404 for outsiders) and calls one service."""

import datetime

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.selectors import language_of
from accounts.services import calendar_feed_issue, calendar_feed_revoke
from companies.models import Company
from companies.policies import ensure_company_may_act
from companies.selectors import company_for_user, membership_for_user
from core.forms import attach_errors, refusal
from exhibitions.models import Exhibition
from exhibitions.selectors import scope_to_staff, staff_serves
from matchmaking import policies, selectors
from matchmaking.agenda import (
    company_agenda,
    company_agenda_calendar,
    exhibition_day_agenda,
)
from matchmaking.calendar_feed import calendar_feed_url, feed_owner, user_calendar
from matchmaking.forms import (
    AgendaDayForm,
    DecisionForm,
    InterestForm,
    MeetingNoteForm,
    MeetingProposeForm,
    OutcomeForm,
)
from matchmaking.ics import meeting_calendar
from matchmaking.models import Interest, Meeting
from matchmaking.selectors import account_overview
from matchmaking.services import (
    interest_decide,
    interest_declare,
    interest_withdraw,
    meeting_cancel,
    meeting_counter,
    meeting_propose,
    meeting_respond,
    outcome_record,
)
from matchmaking.services.interests import ensure_may_declare
from matchmaking.services.invitations import invitation_send, may_invite
from needs.models import Need


def _errors(request, error) -> None:
    messages.error(request, " ".join(error.messages) if isinstance(error, ValidationError) else str(error))


def _perform(request, action, success: str) -> bool:
    """Run a service call for a POST: its refusal becomes an error message, its success
    `success`. Returns whether it succeeded."""
    try:
        action()
    except (ValidationError, PermissionDenied) as error:
        _errors(request, error)
        return False
    messages.success(request, success)
    return True



def _party_or_404(request, load, actor_of, pk):
    """The object and the caller's part in it, in one step; outsiders get 404."""
    try:
        obj = load(pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    actor = actor_of(request.user, obj)
    if actor is None:
        raise Http404
    return obj, actor


def _interest_or_404(request, pk):
    return _party_or_404(request, selectors.interest_with_related, policies.interest_actor, pk)


def _meeting_or_404(request, pk):
    return _party_or_404(request, selectors.meeting_with_related, policies.meeting_actor, pk)


# --- declarations ---------------------------------------------------------------------
@login_required
def interest_declare_view(request, pk):
    need = get_object_or_404(Need.objects.public().select_related("province", "sector", "buyer", "exhibition"), pk=pk)
    company = company_for_user(request.user)
    existing = Interest.objects.filter(need=need, supplier=company).first() if company else None
    form = InterestForm(request.POST or None, instance=existing if existing else None)
    blocked = refusal(ensure_may_declare, need=need, supplier=company)
    if request.method == "POST" and not blocked and form.is_valid():
        try:
            interest = interest_declare(need=need, supplier=company, by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            attach_errors(form, error if isinstance(error, ValidationError) else ValidationError(str(error)))
        else:
            messages.success(request, _("Your readiness declaration is recorded. The buyer will be notified."))
            return redirect("matchmaking:interest-detail", pk=interest.pk)
    return render(
        request, "matchmaking/interest_form.html",
        {"need": need, "form": form, "existing": existing, "blocked": blocked, "company": company},
    )


@login_required
def interest_detail(request, pk):
    interest, actor = _interest_or_404(request, pk)
    context = {
        "interest": interest,
        "need": interest.need,
        "actor": actor,
        "meetings": list(selectors.meetings_for_interest(interest)),
        "decision_form": DecisionForm() if actor.side != "supplier" else None,
    }
    return render(request, "matchmaking/interest_detail.html", context)


@login_required
@require_POST
def interest_decide_view(request, pk):
    interest, actor = _interest_or_404(request, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        _perform(
            request,
            lambda: interest_decide(interest=interest, by=request.user, decision=form.cleaned_data["decision"],
                                    reason=form.cleaned_data["reason"]),
            _("Your decision is recorded and the supplier notified."),
        )
    return redirect("matchmaking:interest-detail", pk=interest.pk)


@login_required
@require_POST
def interest_withdraw_view(request, pk):
    interest, actor = _interest_or_404(request, pk)
    _perform(request, lambda: interest_withdraw(interest=interest, by=request.user), _("Your declaration is withdrawn."))
    return redirect("matchmaking:interest-detail", pk=interest.pk)


@login_required
def need_declarations(request, pk):
    """The declarations on one need, for its buyer or the staff who mediate, with the
    suppliers the site suggests inviting."""
    need = get_object_or_404(Need.objects.select_related("province", "sector", "buyer", "exhibition"), pk=pk)
    company = company_for_user(request.user)
    is_buyer = company is not None and company.pk == need.buyer_id
    if not (is_buyer or staff_serves(request.user, need.province_id)):
        raise Http404
    return render(
        request, "matchmaking/need_declarations.html",
        {
            "need": need,
            "interests": list(selectors.interests_for_need(need)),
            "suggestions": selectors.suppliers_for_need(need),
            "invited_ids": selectors.invited_supplier_ids(need),
            "may_invite": may_invite(request.user, need),
        },
    )


@login_required
@require_POST
def invitation_send_view(request, pk):
    """The buyer's member (or staff of the need's province) invites a suggested supplier to
    declare; outsiders get 404, as on the declarations page."""
    need = get_object_or_404(Need.objects.select_related("province", "buyer"), pk=pk)
    company = company_for_user(request.user)
    if not ((company is not None and company.pk == need.buyer_id) or staff_serves(request.user, need.province_id)):
        raise Http404
    supplier_id = request.POST.get("supplier", "")
    if not supplier_id.isdigit():
        raise Http404
    supplier = get_object_or_404(Company, pk=supplier_id)
    _perform(
        request, lambda: invitation_send(need=need, supplier=supplier, by=request.user),
        _("%(company)s is invited to declare and its people are notified.") % {"company": supplier.name},
    )
    return redirect("matchmaking:need-declarations", pk=need.pk)


# --- meetings -------------------------------------------------------------------------
@login_required
def meeting_propose_view(request, pk):
    interest, actor = _interest_or_404(request, pk)
    form = MeetingProposeForm(request.POST or None, need=interest.need)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = meeting_propose(
                interest=interest, by=request.user, mode=data["mode"], starts_at=data["starts_at"],
                slots=data["slots"], room=data.get("room"),
            )
        except (ValidationError, PermissionDenied) as error:
            attach_errors(form, error if isinstance(error, ValidationError) else ValidationError(str(error)))
        else:
            messages.success(request, _("Your proposal is sent. The other side will accept, decline or propose another time."))
            return redirect("matchmaking:meeting-detail", pk=meeting.pk)
    return render(
        request, "matchmaking/meeting_form.html",
        {"interest": interest, "need": interest.need, "form": form, "settings_ttl": settings.MEETING_PROPOSAL_TTL_HOURS},
    )


@login_required
def meeting_detail(request, pk):
    meeting, actor = _meeting_or_404(request, pk)
    now = timezone.now()
    may_answer = meeting.status == Meeting.Status.PROPOSED and policies.may_answer(actor, meeting)
    outcome = getattr(meeting, "outcome", None)
    context = {
        "meeting": meeting,
        "need": meeting.interest.need,
        "actor": actor,
        # Nobody outside the meeting sees its video link, staff included.
        "show_video": not actor.is_staff and bool(meeting.video_url),
        "may_answer": may_answer,
        "note_form": MeetingNoteForm(),
        "counter_form": MeetingProposeForm(need=meeting.interest.need, prefix="counter") if may_answer else None,
        "may_cancel": not refusal(policies.ensure_meeting_cancellable, meeting, now),
        "may_record": not refusal(policies.ensure_outcome_recordable, meeting, outcome, now),
        "outcome_form": OutcomeForm(),
    }
    return render(request, "matchmaking/meeting_detail.html", context)


@login_required
@require_POST
def meeting_respond_view(request, pk):
    meeting, actor = _meeting_or_404(request, pk)
    form = MeetingNoteForm(request.POST)
    form.is_valid()
    accept = request.POST.get("action") == "accept"
    _perform(
        request,
        lambda: meeting_respond(meeting=meeting, by=request.user, accept=accept, note=form.cleaned_data.get("note", "")),
        _("The meeting is confirmed.") if accept else _("The proposal is declined."),
    )
    return redirect("matchmaking:meeting-detail", pk=meeting.pk)


@login_required
@require_POST
def meeting_counter_view(request, pk):
    meeting, actor = _meeting_or_404(request, pk)
    form = MeetingProposeForm(request.POST, need=meeting.interest.need, prefix="counter")
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("matchmaking:meeting-detail", pk=meeting.pk)
    data = form.cleaned_data
    try:
        new = meeting_counter(
            meeting=meeting, by=request.user, starts_at=data["starts_at"], mode=data["mode"], slots=data["slots"],
            room=data.get("room"), note=data.get("note", ""),
        )
    except (ValidationError, PermissionDenied) as error:
        _errors(request, error)
        return redirect("matchmaking:meeting-detail", pk=meeting.pk)
    messages.success(request, _("Your new time is proposed."))
    return redirect("matchmaking:meeting-detail", pk=new.pk)


@login_required
@require_POST
def meeting_cancel_view(request, pk):
    meeting, actor = _meeting_or_404(request, pk)
    form = MeetingNoteForm(request.POST)
    form.is_valid()
    _perform(
        request,
        lambda: meeting_cancel(meeting=meeting, by=request.user, reason=form.cleaned_data.get("note", "")),
        _("The meeting is cancelled and its time freed."),
    )
    return redirect("matchmaking:meeting-detail", pk=meeting.pk)


@login_required
@require_POST
def meeting_outcome_view(request, pk):
    meeting, actor = _meeting_or_404(request, pk)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        _perform(request, lambda: outcome_record(meeting=meeting, by=request.user, **form.cleaned_data),
                 _("The outcome is recorded."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("matchmaking:meeting-detail", pk=meeting.pk)


@login_required
def meeting_ics(request, pk):
    meeting, actor = _meeting_or_404(request, pk)
    if actor.is_staff:
        # The file carries the video link; only the two companies' members get it.
        raise Http404
    # The file of this reader, as they may see it; a download is a copy, not an invitation.
    ics = meeting_calendar(meeting, viewer=request.user, publish=True)
    response = HttpResponse(ics.content, content_type=ics.content_type)
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@login_required
def dashboard(request):
    membership = membership_for_user(request.user)
    company = membership.company if membership and membership.is_approved else None
    context = account_overview(user=request.user, company=company)
    context["membership"] = membership
    context["company_refusal"] = refusal(ensure_company_may_act, company)
    context["calendar_feed_url"] = calendar_feed_url(request.user) if company else ""
    context["agenda"] = company_agenda(company=company, viewer=request.user, since=timezone.now()) if company else []
    return render(request, "matchmaking/account.html", context)


@login_required
def account_agenda_ics(request):
    """The company's coming meetings and tours as one calendar file, as this member may see them."""
    company = company_for_user(request.user)
    if company is None:
        raise Http404
    items = company_agenda(company=company, viewer=request.user, since=timezone.now())
    ics = company_agenda_calendar(company=company, items=items, viewer=request.user)
    response = HttpResponse(ics.content, content_type=ics.content_type)
    response["Content-Disposition"] = 'attachment; filename="agenda.ics"'
    return response


# --- the event-day agenda of an exhibition (staff) -----------------------------------------
def _staff_exhibition(request, slug: str) -> Exhibition:
    """The exhibition, if the staff member serves its province (404 otherwise)."""
    exhibitions = scope_to_staff(Exhibition.objects.select_related("province"), request.user, "province")
    return get_object_or_404(exhibitions, slug=slug)


def _day_or_404(day: str) -> datetime.date:
    """The day of a URL (2026-12-07); a 404 for anything else."""
    try:
        if len(day) == 10:
            return datetime.date.fromisoformat(day)
    except ValueError:
        pass
    raise Http404


@staff_member_required
def exhibition_agenda_pick(request, slug: str):
    """The picker's answer (a typed Jalali or Gregorian date; today without one): that day's grid."""
    exhibition = _staff_exhibition(request, slug)
    form = AgendaDayForm(request.GET)
    day = form.cleaned_data["day"] if form.is_valid() else timezone.localdate()
    return redirect("matchmaking:exhibition-agenda", exhibition.slug, day.isoformat())


def _agenda_page(request, slug: str, day: str, template: str):
    exhibition = _staff_exhibition(request, slug)
    day = _day_or_404(day)
    agenda = exhibition_day_agenda(exhibition=exhibition, day=day, viewer=request.user)
    context = {
        **admin.site.each_context(request),
        "title": _("Meeting agenda: %(exhibition)s") % {"exhibition": exhibition.title},
        "exhibition": exhibition,
        "agenda": agenda,
        "form": AgendaDayForm(initial={"day": day}),
    }
    return render(request, template, context)


@staff_member_required
def exhibition_agenda(request, slug: str, day: str):
    """The day's grid: rooms by time slots with meetings, video meetings and tours."""
    return _agenda_page(request, slug, day, "matchmaking/staff_agenda.html")


@staff_member_required
def exhibition_agenda_doors(request, slug: str, day: str):
    """One printable sheet per room for its door: the day's meetings, buyers as the public sees them."""
    return _agenda_page(request, slug, day, "matchmaking/staff_agenda_doors.html")


# --- the private calendar feed -----------------------------------------------------------
@require_GET
@never_cache
def calendar_feed(request, token: str):
    """The calendar a user's apps subscribe to, at the secret address; no session (a
    calendar app has none), in the language the user reads the portal's mail in. An unknown,
    replaced or turned-off address is a 404."""
    user = feed_owner(token)
    if user is None:
        raise Http404
    with translation.override(language_of(user)):
        ics = user_calendar(user)
    response = HttpResponse(ics.content, content_type=ics.content_type)
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_POST
def calendar_feed_issue_view(request):
    calendar_feed_issue(user=request.user)
    messages.success(request, _("Your private calendar address is ready. Any earlier address no longer works."))
    return redirect(reverse("matchmaking:account") + "#calendar-h")


@login_required
@require_POST
def calendar_feed_revoke_view(request):
    calendar_feed_revoke(user=request.user)
    messages.success(request, _("Your private calendar address is turned off."))
    return redirect(reverse("matchmaking:account") + "#calendar-h")
