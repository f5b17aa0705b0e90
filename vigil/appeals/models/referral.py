"""A referral of an appeal or an interview's allegation to a competent body, with what it
discloses and the consent (or the recorded override) behind each kind of disclosure."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.models import BaseModel

from ..enums import ReferralBodyKind, ReferralState


class Referral(BaseModel):
    reference = models.CharField(_("reference number"), max_length=24, unique=True)
    appeal = models.ForeignKey(
        "appeals.Appeal",
        verbose_name=_("appeal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    interview = models.ForeignKey(
        "visits.Interview",
        verbose_name=_("interview"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    body_kind = models.CharField(_("referred to"), max_length=20, choices=ReferralBodyKind.choices)
    body_name = models.CharField(_("name of the body"), max_length=300)
    region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    discloses = models.JSONField(
        _("discloses"), default=list, help_text=_("What the referral passes on.")
    )
    # Kinds disclosed without the person's consent, on a coordinator's recorded decision.
    overridden = models.JSONField(_("disclosed without consent"), default=list, blank=True)
    override_reason = models.TextField(_("reason for disclosing without consent"), blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("override decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("status"), max_length=20, choices=ReferralState.choices, default=ReferralState.SENT
    )
    sent_on = models.DateField(_("sent on"))
    letter_number = models.CharField(_("outgoing letter number"), max_length=60, blank=True)
    acknowledged_on = models.DateField(_("acknowledged on"), null=True, blank=True)
    register_number = models.CharField(_("pre-trial register number"), max_length=60, blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    refused_on = models.DateField(_("refused on"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for the refusal"), blank=True)
    outcome_on = models.DateField(_("outcome received on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ("-sent_on", "-id")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(appeal__isnull=False) | models.Q(interview__isnull=False),
                name="referral_has_a_source",
            ),
        )

    def __str__(self) -> str:
        return self.reference
