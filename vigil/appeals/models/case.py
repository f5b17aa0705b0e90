"""Criminal cases under art. 146 (torture and ill-treatment) followed by the NPM, their
reclassification history and suspects; accountability records of officials."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.models import BaseModel

from ..enums import (
    CasePart,
    CaseState,
    ForensicResult,
    ForensicStatus,
    Initiative,
    Responsibility,
    TerminationGround,
)


class CriminalCase(BaseModel):
    reference = models.CharField(_("reference number"), max_length=24, unique=True)
    appeal = models.ForeignKey(
        "appeals.Appeal",
        verbose_name=_("appeal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    referral = models.ForeignKey(
        "appeals.Referral",
        verbose_name=_("referral"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    institution = models.ForeignKey(
        "registry.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("status"), max_length=24, choices=CaseState.choices, default=CaseState.REPORTED
    )
    # The current classification and investigator; the history is `CaseClassification`.
    part = models.PositiveSmallIntegerField(_("part of art. 146"), choices=CasePart.choices)
    investigating_body = models.ForeignKey(
        "appeals.InvestigatingBody",
        verbose_name=_("investigating body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_on = models.DateField(_("reported on"))
    info_book_entry_on = models.DateField(
        _("entered in the information book on"), null=True, blank=True
    )
    register_number = models.CharField(_("pre-trial register number"), max_length=60, blank=True)
    registered_on = models.DateField(
        _("registered in the pre-trial register on"), null=True, blank=True
    )
    victim_pseudonym = models.CharField(_("victim (pseudonym)"), max_length=60, blank=True)
    # A relocation or a protection order can identify the victim: encrypted like an
    # interview's content, read only through `victim_protection_read` (logged first).
    victim_protection_ciphertext = models.BinaryField(blank=True, default=b"", editable=False)
    forensic_status = models.CharField(
        _("forensic examination (Istanbul Protocol)"),
        max_length=16,
        choices=ForensicStatus.choices,
        default=ForensicStatus.NOT_REQUESTED,
    )
    forensic_requested_on = models.DateField(_("examination requested on"), null=True, blank=True)
    forensic_done_on = models.DateField(_("examination done on"), null=True, blank=True)
    forensic_result = models.CharField(
        _("examination result"), max_length=16, choices=ForensicResult.choices, blank=True
    )
    termination_ground = models.CharField(
        _("grounds for termination"), max_length=20, choices=TerminationGround.choices, blank=True
    )
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    sent_to_court_on = models.DateField(_("sent to court on"), null=True, blank=True)
    verdict_on = models.DateField(_("verdict on"), null=True, blank=True)
    final_on = models.DateField(_("final on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Historical imports: the file's own id of the case, so a second import changes nothing.
    source_key = models.CharField(_("source id"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("criminal case")
        verbose_name_plural = _("criminal cases")
        ordering = ("-reported_on", "-id")
        constraints = (
            models.UniqueConstraint(
                fields=("source_key",),
                condition=~models.Q(source_key=""),
                name="case_unique_source_key",
            ),
        )
        indexes = (models.Index(fields=("reported_on",), name="case_reported"),)

    def __str__(self) -> str:
        return self.reference

    @property
    def registration_delay_days(self) -> int | None:
        """Days between the information-book entry and the pre-trial registration."""
        if self.info_book_entry_on and self.registered_on:
            return (self.registered_on - self.info_book_entry_on).days
        return None


class CaseClassification(models.Model):
    """A dated classification of a case: the part of art. 146 and the investigating body."""

    case = models.ForeignKey(CriminalCase, on_delete=models.CASCADE, related_name="classifications")
    part = models.PositiveSmallIntegerField(_("part of art. 146"), choices=CasePart.choices)
    investigating_body = models.ForeignKey(
        "appeals.InvestigatingBody",
        verbose_name=_("investigating body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    effective_on = models.DateField(_("from"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("classification")
        verbose_name_plural = _("classifications")
        ordering = ("effective_on", "id")

    def __str__(self) -> str:
        return f"{self.get_part_display()} ({self.effective_on})"


class Suspect(BaseModel):
    """A suspect official, named by unit and position only."""

    case = models.ForeignKey(CriminalCase, on_delete=models.CASCADE, related_name="suspects")
    unit = models.CharField(_("unit"), max_length=300)
    position = models.CharField(_("position"), max_length=200)
    suspended = models.BooleanField(_("suspended from duty"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("suspect")
        verbose_name_plural = _("suspects")
        ordering = ("id",)

    def __str__(self) -> str:
        return f"{self.position}, {self.unit}"


class AccountabilityRecord(BaseModel):
    """An official brought to disciplinary, administrative or criminal responsibility, and on
    whose initiative."""

    decided_on = models.DateField(_("decided on"))
    responsibility = models.CharField(
        _("responsibility"), max_length=16, choices=Responsibility.choices
    )
    initiative = models.CharField(
        _("on the initiative of"), max_length=16, choices=Initiative.choices
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    measure = models.CharField(_("measure"), max_length=300, blank=True)
    agency = models.ForeignKey(
        "reference.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    institution = models.ForeignKey(
        "registry.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    visit = models.ForeignKey(
        "visits.Visit",
        verbose_name=_("visit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    appeal = models.ForeignKey(
        "appeals.Appeal",
        verbose_name=_("appeal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accountability",
    )
    case = models.ForeignKey(
        CriminalCase,
        verbose_name=_("criminal case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accountability",
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_key = models.CharField(_("source id"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("accountability record")
        verbose_name_plural = _("accountability records")
        ordering = ("-decided_on", "-id")
        constraints = (
            models.UniqueConstraint(
                fields=("source_key",),
                condition=~models.Q(source_key=""),
                name="accountability_unique_source_key",
            ),
        )

    def __str__(self) -> str:
        return f"{self.get_responsibility_display()}: {self.position}"
