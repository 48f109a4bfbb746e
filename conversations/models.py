"""Mediated conversations: one thread per readiness declaration (its messages and their
files), and the drawings and specifications a buyer attaches to a need, with the log of
who opened them. Files live in private storage (conversations/storage.py) and are served
only by conversations.views after the policy's check."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from conversations.storage import private_storage
from core.text import TypedTextModel
from matchmaking.models import Interest
from needs.models import Need


class Side(models.TextChoices):
    BUYER = "buyer", _("Buyer")
    SUPPLIER = "supplier", _("Supplier")
    STAFF = "staff", _("Programme staff")


class MessageQuerySet(models.QuerySet):
    def shown(self):
        """Messages neither withdrawn by their author nor hidden by staff."""
        return self.filter(withdrawn_at__isnull=True, hidden_at__isnull=True)


class Message(TypedTextModel, models.Model):
    """A message in the thread of one readiness declaration."""

    TYPED_TEXT_FIELDS = ("body", "hidden_reason")

    interest = models.ForeignKey(
        Interest, on_delete=models.CASCADE, related_name="messages", verbose_name=_("declaration"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author"),
    )
    # The side the author wrote for, fixed when written (a member may leave the company later).
    author_side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    body = models.TextField(_("message"), blank=True, max_length=4000)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True, db_index=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("hidden by"),
    )
    # Why staff hid it: shown to staff only.
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["author", "created_at"], name="message_author_time_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.interest_id})"

    @property
    def is_shown(self) -> bool:
        return self.withdrawn_at is None and self.hidden_at is None


class StoredFile(models.Model):
    """A checked upload in private storage: its random name there, and the name, type and
    size it was uploaded with (the name only for the download's file name)."""

    file = models.FileField(_("file"), storage=private_storage, upload_to="conversations/%Y/%m/", max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


class Attachment(StoredFile):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("message"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class NeedDocument(StoredFile):
    """A drawing or specification of a need, for the buyer's members, the staff serving the
    need's province and the suppliers whose declaration on it is shortlisted."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="documents", verbose_name=_("need"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("need document")
        verbose_name_plural = _("need documents")


class DocumentOpening(models.Model):
    """Who opened a need's document, and when (the buyer and staff read this log)."""

    document = models.ForeignKey(NeedDocument, on_delete=models.CASCADE, related_name="openings",
                                 verbose_name=_("document"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("opened by"))
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("document opening")
        verbose_name_plural = _("document openings")

