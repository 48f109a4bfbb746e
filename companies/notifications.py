"""What companies' people are told, one letter per person, each in that person's language
(composed here, sent by tasks)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.notifications import in_their_languages
from companies.models import Company
from companies.selectors import company_mailboxes
from core.mail import Letter, absolute_url, compose_letter


def _members(company: Company) -> list:
    """The active, approved members of a company who have an address (never its own address:
    these letters are about acting for it on the site)."""
    return [box.user for box in company_mailboxes([company.pk])[company.pk] if box.user is not None]


def _greeting(user) -> str:
    return _("Hello %(name)s,") % {"name": user.get_full_name() or user.get_username()}


def _account_link() -> str:
    # The account pages are a stable public URL (docs/design.md section 4), named here, not imported.
    return absolute_url(reverse("matchmaking:account"))


def company_verified_letters(company: Company) -> list[Letter]:
    """One letter to each active, approved member of a company that staff have just
    verified: it may now act on the site."""

    def letter(user) -> Letter:
        lines = [
            _greeting(user),
            _("The provincial staff have verified %(company)s. You can now act for it on the site.")
            % {"company": company.name},
        ]
        subject = _("%(company)s is verified") % {"company": company.name}
        return compose_letter(to=user.email, subject=subject, lines=lines, link=_account_link(), user=user, event="company")

    return in_their_languages(_members(company), letter)


def _request_again_link() -> str:
    return absolute_url(reverse("companies:verification-request"))


def company_unverified_letters(company: Company, *, reason: str = "") -> list[Letter]:
    """One letter to each active, approved member of a company whose verification staff
    have just withdrawn: it may not act on the site until verified again; the staff
    member's reason, when one was given; and, as after a refusal, where to ask again."""

    def letter(user) -> Letter:
        lines = [
            _greeting(user),
            _("The provincial staff have withdrawn the verification of %(company)s. Until it is verified "
              "again, you cannot act for it on the site.") % {"company": company.name},
            *([_("Reason: %(reason)s") % {"reason": reason}] if reason else []),
            _("Correct the company's details on the site and ask for verification again; until it is verified, "
              "you cannot act for it on the site."),
        ]
        subject = _("Verification of %(company)s withdrawn") % {"company": company.name}
        return compose_letter(
            to=user.email, subject=subject, lines=lines, link=_request_again_link(), user=user, event="company",
        )

    return in_their_languages(_members(company), letter)


def company_refused_letters(company: Company) -> list[Letter]:
    """One letter to each active, approved member of a company whose verification staff have
    just refused: the reason they gave, and where to edit the company and ask again."""

    def letter(user) -> Letter:
        lines = [
            _greeting(user),
            _("The provincial staff have not verified %(company)s.") % {"company": company.name},
            _("Reason: %(reason)s") % {"reason": company.refusal_reason},
            _("Correct the company's details on the site and ask for verification again; until it is verified, "
              "you cannot act for it on the site."),
        ]
        subject = _("%(company)s was not verified") % {"company": company.name}
        return compose_letter(
            to=user.email, subject=subject, lines=lines, link=_request_again_link(), user=user, event="company",
        )

    return in_their_languages(_members(company), letter)
