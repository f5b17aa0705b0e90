from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core import sealing
from vigil.core.models import BaseModel

from ..enums import ConsentScope, IntervieweeCategory, ReprisalRisk


class Interview(BaseModel):
    """A confidential interview. Its content is encrypted (AES-GCM, versioned key) and
    read only through a service that logs an AccessEvent; the real identity of the
    interviewee lives apart, sealed, in `SealedIdentity`."""

    visit = models.ForeignKey("visits.Visit", on_delete=models.CASCADE, related_name="interviews")
    institution = models.ForeignKey(
        "registry.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    conducted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("conducted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    conducted_on = models.DateField(_("date"))
    category = models.CharField(
        _("interviewee"), max_length=20, choices=IntervieweeCategory.choices
    )
    pseudonym = models.CharField(_("pseudonym"), max_length=60)
    in_private = models.BooleanField(_("held in private"), default=True)
    # Who else was present can identify the interviewee: encrypted like the content, shown
    # only with it (`interview_read`, logged first); empty when held in private.
    present_ciphertext = models.BinaryField(blank=True, default=b"", editable=False)
    interpreter_used = models.BooleanField(_("interpreter used"), default=False)
    consent_scopes = models.JSONField(_("consent"), default=list, blank=True)
    consent_withdrawn_on = models.DateField(_("consent withdrawn on"), null=True, blank=True)
    vulnerabilities = models.JSONField(_("vulnerability"), default=list, blank=True)
    alleges_ill_treatment = models.BooleanField(_("alleges ill-treatment"), default=False)
    injuries_seen = models.BooleanField(_("injuries seen"), default=False)
    reprisal_risk = models.CharField(
        _("risk of reprisals"),
        max_length=10,
        choices=ReprisalRisk.choices,
        default=ReprisalRisk.NONE,
    )
    follow_up_on = models.DateField(_("contact again on"), null=True, blank=True)
    follow_up_done_on = models.DateField(_("contacted again on"), null=True, blank=True)
    content_ciphertext = models.BinaryField(editable=False)
    content_key_version = models.PositiveSmallIntegerField(editable=False)

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ("-conducted_on", "-id")

    def __str__(self) -> str:
        return self.pseudonym

    @property
    def consent_withdrawn(self) -> bool:
        return self.consent_withdrawn_on is not None

    def consents_to(self, scope: ConsentScope) -> bool:
        return not self.consent_withdrawn and scope in (self.consent_scopes or [])


class SealedIdentity(sealing.SealedIdentity):
    """The interviewee's real identity, encrypted and kept apart; read only by an
    explicit unseal with a reason, logged as an AccessEvent (`vigil.core.sealing`)."""

    interview = models.OneToOneField(
        Interview, on_delete=models.CASCADE, related_name="sealed_identity"
    )

    class Meta:
        verbose_name = _("sealed identity")
        verbose_name_plural = _("sealed identities")

    def __str__(self) -> str:
        return str(_("Sealed identity"))
