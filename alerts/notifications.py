"""Who is told what: the daily digest, one letter per reader grouping their searches,
composed in the reader's language with the buyer as the reader may see it
(Need.buyer_label_for) and a one-click unsubscribe link per search."""

import dataclasses

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.notifications import in_their_languages
from alerts.models import SavedSearch
from alerts.tokens import unsubscribe_url
from core.mail import Letter, absolute_url, compose_letter
from needs.models import Need


def digest_letter(user, found: list[tuple[SavedSearch, list[Need]]]) -> Letter:
    """One reader's digest (in the active language): each search, its new needs, and the
    link that stops it; the mail's List-Unsubscribe headers stop all the searches listed."""
    count = sum(len(needs) for _search, needs in found)
    lines = [_("New needs on display match your saved searches:")]
    for search, needs in found:
        block = [_("Your search “%(name)s”:") % {"name": search.name}]
        for need in needs:
            block.append(
                _("- %(title)s (%(buyer)s): %(link)s") % {
                    "title": need.display_title, "buyer": need.buyer_label_for(user),
                    "link": absolute_url(reverse("needs:detail", args=[need.pk])),
                }
            )
        block.append(_("Stop the alerts of this search: %(link)s") % {"link": unsubscribe_url(user.pk, [search.pk])})
        lines.append("\n".join(block))
    lines.append(_("Your saved searches:"))
    letter = compose_letter(
        to=user.email,
        subject=ngettext(
            "%(count)s new need matches your saved searches", "%(count)s new needs match your saved searches", count,
        ) % {"count": count},
        lines=lines, link=absolute_url(reverse("alerts:list")), user=user, event="alert",
    )
    one_click = unsubscribe_url(user.pk, [search.pk for search, _needs in found])
    return dataclasses.replace(
        letter, headers={"List-Unsubscribe": f"<{one_click}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


def digest_letters(user, found) -> list[Letter]:
    return in_their_languages([user], lambda reader: digest_letter(reader, found))
