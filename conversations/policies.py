"""Who may read and write a declaration's thread, see which message, open which file, and
read or add a need's documents. Outsiders are refused with PermissionDenied by services
and answered 404 by views (the thread's existence is not told)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from companies.selectors import approved_company_ids
from exhibitions.selectors import staff_serves
from matchmaking.models import Interest
from matchmaking.policies import Actor, interest_actor, interest_party


def thread_actor(user, interest: Interest) -> Actor | None:
    """The user's part in a declaration's thread: the buyer's or the supplier's approved
    members, or staff serving the need's province (national staff serve all); else None."""
    return interest_actor(user, interest)


def thread_party(user, interest: Interest) -> Actor:
    """As thread_actor; PermissionDenied for anyone who has no part in the thread."""
    return interest_party(user, interest)


def may_see_message(actor: Actor, message) -> bool:
    """A withdrawn or hidden message stays visible, marked, to its author and to staff only."""
    return message.is_shown or actor.is_staff or message.author_id == actor.user.pk


def visible_messages(actor: Actor, queryset):
    """`queryset` of one thread's messages limited to those `actor` may see."""
    if actor.is_staff:
        return queryset
    return queryset.filter(Q(withdrawn_at__isnull=True, hidden_at__isnull=True) | Q(author_id=actor.user.pk))


def ensure_may_withdraw(actor: Actor, message) -> None:
    if message.author_id != actor.user.pk:
        raise PermissionDenied(_("Only its author can withdraw a message."))
    if message.withdrawn_at is not None:
        raise ValidationError(_("This message is already withdrawn."))


def ensure_may_hide(actor: Actor, message) -> None:
    if not actor.is_staff:
        raise PermissionDenied(_("Only programme staff can hide a message."))
    if message.hidden_at is not None:
        raise ValidationError(_("This message is already hidden."))


def may_reveal(actor: Actor, need) -> bool:
    """The buyer's own members may reveal an anonymous buyer to the thread's supplier."""
    return actor.side == "buyer" and need.is_anonymous and need.buyer_id == getattr(actor.company, "pk", None)


# --- a need's documents -----------------------------------------------------------------
def may_manage_need_documents(user, need) -> bool:
    """The buyer's approved members and the staff serving the need's province add documents
    and read who opened them."""
    return need.buyer_id in approved_company_ids(user) or staff_serves(user, need.province_id)


def may_open_need_documents(user, need) -> bool:
    """Those who manage them, and suppliers whose declaration on the need is shortlisted
    (meetings follow a shortlisting; a declined or withdrawn declaration loses access)."""
    if not user.is_authenticated:
        return False
    if may_manage_need_documents(user, need):
        return True
    companies = approved_company_ids(user)
    return bool(companies) and Interest.objects.filter(
        need=need, supplier_id__in=companies, status=Interest.Status.SHORTLISTED,
    ).exists()
