"""Incidents (reprisal, access obstruction, death in custody, self-harm) and the scheduled
follow-up contacts of people at risk of reprisals."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.models import BaseModel

from ..enums import FollowUpOutcome, IncidentKind


class Incident(BaseModel):
    reference = models.CharField(_("reference number"), max_length=24, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=IncidentKind.choices)
    occurred_on = models.DateField(_("occurred on"))
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
    # An access incident recorded during a visit, when this incident is that obstruction.
    access_incident = models.OneToOneField(
        "visits.AccessIncident",
        verbose_name=_("access incident of the visit"),
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
        related_name="incidents",
    )
    interview = models.ForeignKey(
        "visits.Interview",
        verbose_name=_("interview"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    case = models.ForeignKey(
        "appeals.CriminalCase",
        verbose_name=_("criminal case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    # What happened can identify the person (the circumstances of a reprisal or a death):
    # encrypted like an interview's content, read only through `incident_summary_read`.
    summary_ciphertext = models.BinaryField(blank=True, default=b"", editable=False)
    persons_affected = models.PositiveSmallIntegerField(_("persons affected"), default=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ("-occurred_on", "-id")
        indexes = (models.Index(fields=("institution", "occurred_on"), name="incident_inst_day"),)

    def __str__(self) -> str:
        return self.reference


class FollowUpContact(BaseModel):
    """A scheduled contact with a person at risk of reprisals (an interviewee or an
    appellant), and what came of it."""

    appeal = models.ForeignKey(
        "appeals.Appeal",
        verbose_name=_("appeal"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    interview = models.ForeignKey(
        "visits.Interview",
        verbose_name=_("interview"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    due_on = models.DateField(_("contact due on"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    done_on = models.DateField(_("contacted on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=FollowUpOutcome.choices, blank=True
    )
    # What came of the contact can identify the person at risk: encrypted like an interview's
    # content, read only through `follow_up_note_read` (logged first).
    note_ciphertext = models.BinaryField(blank=True, default=b"", editable=False)
    incident = models.ForeignKey(
        Incident,
        verbose_name=_("incident recorded"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("follow-up contact")
        verbose_name_plural = _("follow-up contacts")
        ordering = ("due_on", "id")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(appeal__isnull=False) | models.Q(interview__isnull=False),
                name="follow_up_has_a_person",
            ),
        )

    def __str__(self) -> str:
        return str(self.due_on)
