"""The account side: sign-up with email confirmation, Django's auth views styled, company
registration or a join request, and the /account/ dashboard."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from companies.forms import CompanyJoinForm, CompanyRegisterForm
from companies.models import CompanyMember
from companies.selectors import membership_for_user
from companies.services import company_join_request, company_member_approve, company_member_reject, company_register
from matchmaking.forms import LoginForm, SignupForm
from matchmaking.selectors import account_overview
from matchmaking.services import account_activate, account_signup


def signup(request):
    if request.user.is_authenticated:
        return redirect("matchmaking:account")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        account_signup(
            username=form.cleaned_data["username"], email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"], first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"], language=get_language() or "fa",
        )
        return render(request, "registration/signup_done.html", {"email": form.cleaned_data["email"]})
    return render(request, "registration/signup.html", {"form": form})


def activate(request, uidb64, token):
    user = account_activate(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "registration/activation_failed.html", status=400)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Your email address is confirmed. Now register your company or ask to join it."))
    return redirect("matchmaking:company-register")


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("matchmaking:password-reset-done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("matchmaking:password-reset-complete")


@login_required
def dashboard(request):
    membership = membership_for_user(request.user)
    company = membership.company if membership and membership.is_approved else None
    context = account_overview(user=request.user, company=company)
    context["membership"] = membership
    return render(request, "matchmaking/account.html", context)


@login_required
def company_register_view(request):
    if membership_for_user(request.user) is not None:
        return redirect("matchmaking:account")
    action = request.POST.get("action") if request.method == "POST" else None
    register_form = CompanyRegisterForm(request.POST if action == "register" else None, prefix="company")
    join_form = CompanyJoinForm(request.POST if action == "join" else None, prefix="join")
    if action == "register" and register_form.is_valid():
        company = register_form.save(commit=False)
        try:
            company_register(user=request.user, company=company, sectors=register_form.cleaned_data["sectors"])
        except ValidationError as error:
            _attach(register_form, error)
        else:
            messages.success(request, _("Your company is registered. Provincial staff will verify it; you can act once they have."))
            return redirect("matchmaking:account")
    if action == "join" and join_form.is_valid():
        try:
            company_join_request(user=request.user, national_id=join_form.cleaned_data["national_id"])
        except ValidationError as error:
            _attach(join_form, error)
        else:
            messages.success(request, _("Your request was sent. An owner of the company or staff will approve it."))
            return redirect("matchmaking:account")
    return render(request, "matchmaking/company_register.html", {"register_form": register_form, "join_form": join_form})


def _attach(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
@require_POST
def member_decide(request, pk):
    member = get_object_or_404(CompanyMember.objects.select_related("company", "user"), pk=pk)
    try:
        if request.POST.get("action") == "approve":
            company_member_approve(member=member, by=request.user)
            messages.success(request, _("%(user)s can now act for the company.") % {"user": member.user.get_username()})
        else:
            company_member_reject(member=member, by=request.user)
            messages.success(request, _("The request was turned down."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("matchmaking:account")
