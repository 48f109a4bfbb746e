"""Tour pages: the public list and tour page, a supplier's registration, and the organiser's
scheduling, roster, check-in and cancellation. Thin: forms parse, services decide."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from companies.policies import ensure_may_supply
from companies.selectors import company_for_user
from core.forms import attach_errors, refusal
from tours import policies, selectors, services
from tours.check_in import check_in_url, has_check_in_code, qr_svg
from tours.forms import (
    AttendanceForm,
    CheckInForm,
    DeskSearchForm,
    RegistrationForm,
    TourCancelForm,
    TourCreateForm,
    TourFilterForm,
    TourMessageForm,
)
from tours.ics import tour_registration_calendar
from tours.models import Tour, TourRegistration


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


def _tour_or_404(pk: int) -> Tour:
    try:
        return selectors.tour_detail(pk=pk)
    except Tour.DoesNotExist:
        raise Http404 from None


def _managed_tour(request, pk: int) -> Tour:
    """The tour and the caller's right to manage it, in one step; outsiders get 404."""
    tour = _tour_or_404(pk)
    if not policies.can_manage_tour(request.user, tour):
        raise Http404
    return tour


@require_GET
def tour_list(request):
    form = TourFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if form.is_bound and not form.is_valid():
        # Keep the fields that did parse: one bad date does not empty the page.
        filters = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
    page = Paginator(selectors.tour_list(filters=filters), 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tours/list.html",
        {
            "form": form,
            "page": page,
            "tours": page.object_list,
            "query": query.urlencode(),
            "is_organiser": policies.is_tour_organiser(request.user),
        },
    )


def _detail_context(request, tour: Tour, *, form=None) -> dict:
    company = company_for_user(request.user)
    registration = selectors.registration_for(tour=tour, company=company)
    now = timezone.now()
    supply_refusal = refusal(ensure_may_supply, company)
    can_register = not supply_refusal
    if form is None and tour.registration_open(now) and can_register:
        initial = {}
        if registration and registration.status != TourRegistration.Status.CANCELLED:
            initial = {"attendees": registration.attendees, "attendee_names": registration.attendee_names}
        form = RegistrationForm(initial=initial or None)
    check_in = None
    if registration and has_check_in_code(registration):
        url = check_in_url(registration)
        check_in = {"url": url, "qr": qr_svg(url)}
    return {
        "tour": tour,
        "needs": selectors.tour_needs_on_display(tour=tour),
        "company": company,
        "registration": registration,
        "active_registration": registration if registration and registration.status != "cancelled" else None,
        "can_register": can_register,
        "supply_refusal": supply_refusal,
        "can_cancel_registration": not refusal(policies.ensure_tour_not_started, tour, now),
        "registration_refusal": refusal(policies.ensure_registration_open, tour, now),
        "form": form,
        "can_manage": policies.can_manage_tour(request.user, tour),
        "check_in": check_in,
    }


@require_GET
def tour_detail(request, pk: int):
    tour = _tour_or_404(pk)
    return render(request, "tours/detail.html", _detail_context(request, tour))


@login_required
@require_POST
def tour_register(request, pk: int):
    tour = get_object_or_404(Tour, pk=pk)
    company = company_for_user(request.user)
    if company is None:
        raise PermissionDenied
    form = RegistrationForm(request.POST)
    if form.is_valid():
        try:
            registration = services.tour_register(
                tour=tour, company=company, attendees=form.cleaned_data["attendees"],
                attendee_names=form.cleaned_data["attendee_names"], by=request.user,
            )
        except ValidationError as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            if registration.status == TourRegistration.Status.CONFIRMED:
                messages.success(request, _("Your registration is confirmed."))
            else:
                messages.info(
                    request, _("The tour is full: your registration is on the waiting list. We will email you if seats free up.")
                )
            return redirect("tours:detail", pk=tour.pk)
    tour = _tour_or_404(pk)
    return render(request, "tours/detail.html", _detail_context(request, tour, form=form), status=400)


@login_required
@require_POST
def registration_cancel(request, pk: int):
    company = company_for_user(request.user)
    registration = get_object_or_404(TourRegistration, tour_id=pk, company=company) if company else None
    if registration is None:
        raise Http404
    try:
        services.registration_cancel(registration=registration, by=request.user)
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("tours:detail", pk=pk)


@login_required
@require_GET
def registration_ics(request, pk: int):
    """The company's registration as a calendar file (a PUBLISH): confirmed, tentative while
    waitlisted, or cancelled, still served once cancelled so a calendar that imported it
    drops the tour. Only the registered company's people get it."""
    company = company_for_user(request.user)
    registration = (
        TourRegistration.objects.select_related("tour__exhibition", "company")
        .filter(tour_id=pk, company=company)
        .first()
        if company
        else None
    )
    if registration is None:
        raise Http404
    ics = tour_registration_calendar(registration, publish=True)
    response = HttpResponse(ics.content, content_type=ics.content_type)
    response["Content-Disposition"] = f'attachment; filename="tour-{pk}.ics"'
    return response


# --- organisers -------------------------------------------------------------------------------
def _require_organiser(request):
    if not policies.is_tour_organiser(request.user):
        raise PermissionDenied


@login_required
def tour_create(request):
    _require_organiser(request)
    form = TourCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            tours = services.tour_create(
                exhibition=data["exhibition"], organiser=request.user, title=data["title"],
                organiser_name=data["organiser_name"], starts_at=data["starts_at"], ends_at=data["ends_at"],
                capacity=data["capacity"], meeting_point=data["meeting_point"],
                registration_deadline=data["registration_deadline"], language=data["language"],
                sectors=data["sectors"], weeks=data["weeks"],
            )
        except ValidationError as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("%(n)d tours scheduled.") % {"n": len(tours)} if len(tours) > 1 else _("Tour scheduled."))
            return redirect("tours:organise")
    return render(request, "tours/form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_GET
def tour_organise(request):
    _require_organiser(request)
    page = Paginator(selectors.organiser_tours(user=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "tours/organise.html", {"page": page, "tours": page.object_list})


@login_required
@require_GET
def tour_roster(request, pk: int):
    """The organiser's desk: registrations, the waiting list, check-ins and no-shows, a
    search by company name, messages to the registrants."""
    return _desk(request, _managed_tour(request, pk))


def _desk(request, tour: Tour, *, message_form=None, status: int = 200):
    search = DeskSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    now = timezone.now()
    desk = selectors.tour_desk(tour=tour, query=query, now=now)
    return render(
        request,
        "tours/roster.html",
        {
            "tour": tour,
            "desk": desk,
            "search": search,
            "query": query,
            "message_form": message_form or TourMessageForm(),
            "check_in_open": not refusal(policies.ensure_check_in_open, tour, now),
            "can_cancel": not refusal(policies.ensure_tour_not_started, tour, now),
        },
        status=status,
    )


@login_required
@require_POST
def tour_message(request, pk: int):
    tour = _managed_tour(request, pk)
    form = TourMessageForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            message, created = services.tour_message_send(
                tour=tour, by=request.user, audience=data["audience"], subject=data["subject"], body=data["body"],
                token=data["token"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            if created:
                messages.success(request, _("Your message is being sent: %(audience)s.") % {
                    "audience": message.get_audience_display()
                })
            else:
                messages.info(request, _("This message was already sent; it was not sent again."))
            return redirect(reverse("tours:roster", args=[tour.pk]) + "#messages")
    return _desk(request, tour, message_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def registration_check_in(request, code: str):
    """The page a registration's QR code opens on the organiser's phone: who it is, and one
    button to check them in. Anyone who does not manage the tour gets 404, as for a code
    that is not genuine."""
    registration = selectors.registration_for_check_in(code=code)
    if registration is None or not policies.can_manage_tour(request.user, registration.tour):
        raise Http404
    form = CheckInForm(request.POST or None, initial={"attended": registration.attendees})
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_check_in(
                registration=registration, attended=form.cleaned_data["attended"], by=request.user
            )
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
        else:
            messages.success(request, _("%(company)s is checked in.") % {"company": registration.company.name})
        return redirect(request.path)
    now = timezone.now()
    return render(
        request,
        "tours/check_in.html",
        {
            "registration": registration,
            "tour": registration.tour,
            "form": form,
            "refusal": refusal(policies.ensure_may_check_in, registration, now),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def tour_series(request, series):
    """No-show figures of a series of tours, for whoever manages them."""
    figures = selectors.series_figures(series=series, user=request.user)
    if figures is None:
        raise Http404
    return render(request, "tours/series.html", figures)


@login_required
@require_GET
def tour_roster_csv(request, pk: int):
    tour = _managed_tour(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tour-{tour.pk}-roster.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the Persian names as UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [_("Status"), _("Company"), _("National ID"), _("Province"), _("Attendees"), _("Attendee names"),
         _("Attended"), _("Phone"), _("Email"), _("Registered at")]
    )
    for r in selectors.tour_roster(tour=tour):
        writer.writerow(
            [r.get_status_display(), r.company.name, r.company.national_id, r.company.province.name, r.attendees,
             "; ".join(r.attendee_names.splitlines()), "" if r.attended is None else r.attended, r.company.phone,
             r.company.email, timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M")]
        )
    return response


@login_required
@require_POST
def attendance_mark(request, pk: int, registration_pk: int):
    tour = _managed_tour(request, pk)
    registration = get_object_or_404(TourRegistration, pk=registration_pk, tour=tour)
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter how many people attended, as a number."))
    else:
        try:
            services.attendance_mark(registration=registration, attended=form.cleaned_data["attended"], by=request.user)
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
        else:
            messages.success(request, _("Attendance recorded for %(company)s.") % {"company": registration.company.name})
    return redirect(reverse("tours:roster", args=[tour.pk]) + f"#r{registration.pk}")


@login_required
def tour_cancel(request, pk: int):
    tour = _managed_tour(request, pk)
    form = TourCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.tour_cancel(tour=tour, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("The tour is cancelled and every registered company is being notified."))
            return redirect("tours:roster", pk=tour.pk)
    return render(request, "tours/cancel.html", {"tour": tour, "form": form})
