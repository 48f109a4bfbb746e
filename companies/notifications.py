"""What companies' people are told, one letter per person (composed here, sent by tasks)."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from companies.models import Company
from companies.selectors import company_mailboxes
from core.mail import Letter, absolute_url, compose_letter


def company_verified_letters(company: Company) -> list[Letter]:
    """One letter to each active, approved member of a company that staff have just
    verified: it may now act on the site."""
    members = [box.user for box in company_mailboxes([company.pk])[company.pk] if box.user is not None]
    letters = []
    with translation.override(settings.LANGUAGE_CODE):
        # The account pages are a stable public URL (docs/design.md section 4), named here, not imported.
        link = absolute_url(reverse("matchmaking:account"))
        for user in members:
            lines = [
                _("Hello %(name)s,") % {"name": user.get_full_name() or user.get_username()},
                _("The provincial staff have verified %(company)s. You can now act for it on the site.")
                % {"company": company.name},
            ]
            subject = _("%(company)s is verified") % {"company": company.name}
            letters.append(compose_letter(to=user.email, subject=subject, lines=lines, link=link))
    return letters
