"""An appeal (complaint) to the Commissioner: who sent it is sealed apart, what it says is
encrypted, and the record names only what handling needs."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core import sealing
from vigil.core.files.models import EncryptedFile
from vigil.core.models import BaseModel
from vigil.visits.enums import ReprisalRisk

from ..enums import AppealState, Channel, Urgency


class Appeal(BaseModel):
    reference = models.CharField(_("reference number"), max_length=24, unique=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    state = models.CharField(
        _("status"), max_length=20, choices=AppealState.choices, default=AppealState.RECEIVED
    )
    received_on = models.DateField(_("received on"))
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    subject = models.ForeignKey(
        "appeals.AppealSubject",
        verbose_name=_("subject"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    allegation_types = models.ManyToManyField(
        "appeals.AllegationType", verbose_name=_("allegations"), blank=True, related_name="+"
    )
    urgency = models.CharField(
        _("urgency"), max_length=12, choices=Urgency.choices, default=Urgency.ROUTINE
    )
    institution = models.ForeignKey(
        "registry.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The place as the appellant named it, when it is not (yet) matched to the registry.
    institution_text = models.CharField(
        _("place named by the appellant"), max_length=300, blank=True
    )
    region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    summary = models.CharField(
        _("summary"),
        max_length=300,
        blank=True,
        help_text=_("A short description for lists, written by staff, without names."),
    )
    # What the appellant wrote, encrypted like an interview's content (read logged).
    content_ciphertext = models.BinaryField(editable=False)
    content_key_version = models.PositiveSmallIntegerField(editable=False)
    consent_scopes = models.JSONField(
        _("consent to disclose"),
        default=list,
        blank=True,
        help_text=_("What the person agreed may be passed on (identity, allegation, medical)."),
    )
    consent_contact = models.BooleanField(_("may be contacted back"), default=False)
    reprisal_risk = models.CharField(
        _("risk of reprisals"),
        max_length=10,
        choices=ReprisalRisk.choices,
        default=ReprisalRisk.NONE,
    )
    visit = models.ForeignKey(
        "visits.Visit",
        verbose_name=_("visit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    interview = models.ForeignKey(
        "visits.Interview",
        verbose_name=_("interview"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("answer due"), null=True, blank=True)
    extended_until = models.DateField(_("extended until"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    forwarded_to = models.CharField(_("forwarded to"), max_length=300, blank=True)
    forwarded_on = models.DateField(_("forwarded on"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_appeals",
    )
    # The public status check: a random secret shown once, kept only as its hash.
    status_secret_hash = models.CharField(max_length=128, blank=True, editable=False)
    # Machine intake (terminals, partner NGOs): the sender and its own id, for idempotency.
    intake_partner = models.ForeignKey(
        "appeals.IntakePartner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    external_id = models.CharField(_("sender's id"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ("-received_on", "-id")
        constraints = (
            models.UniqueConstraint(
                fields=("intake_partner", "external_id"),
                condition=~models.Q(external_id=""),
                name="appeal_unique_external_id_per_partner",
            ),
        )
        indexes = (
            models.Index(fields=("state", "due_on"), name="appeal_state_due"),
            models.Index(fields=("received_on",), name="appeal_received"),
        )

    def __str__(self) -> str:
        return self.reference

    def consents_to(self, disclosure: str) -> bool:
        return disclosure in (self.consent_scopes or [])


class AppealIdentity(sealing.SealedIdentity):
    """The appellant's real identity (name, contact), sealed apart; read only by an explicit
    unseal with a reason, logged (`vigil.core.sealing`). Its keyed fingerprint finds repeat
    writers without unsealing anyone."""

    appeal = models.OneToOneField(Appeal, on_delete=models.CASCADE, related_name="identity")

    class Meta:
        verbose_name = _("appellant's sealed identity")
        verbose_name_plural = _("appellants' sealed identities")

    def __str__(self) -> str:
        return str(_("Sealed identity"))


class AppealAttachment(EncryptedFile):
    """A file sent with an appeal or added by staff: checked on upload, stored encrypted."""

    storage_dir: ClassVar[str] = "appeals"

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="attachments")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("appeal attachment")
        verbose_name_plural = _("appeal attachments")
        ordering = ("created_at", "id")
