"""Recommendations from finding to verified implementation, with the authority's answers,
the NPM's assessments, reminders and escalations."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.files.models import EncryptedFile, PendingUpload
from vigil.core.models import BaseModel
from vigil.visits.enums import Theme

from .enums import ClaimedStatus, EventKind, Level, ReminderKind, Source, State, Verdict


class Recommendation(BaseModel):
    reference = models.CharField(_("reference"), max_length=30, unique=True)
    external_ref = models.CharField(
        _("external reference"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        help_text=_("The reference in the NPM's earlier records; imports match on it."),
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    visit = models.ForeignKey(
        "visits.Visit",
        verbose_name=_("visit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    source_document = models.CharField(
        _("source document"),
        max_length=200,
        blank=True,
        help_text=_("E.g. CAT/C/KAZ/CO/4, paragraph 12; or the title of the thematic report."),
    )
    addressee = models.ForeignKey(
        "reference.Agency",
        verbose_name=_("addressee"),
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    institution = models.ForeignKey(
        "registry.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    findings = models.ManyToManyField(
        "visits.Finding", verbose_name=_("findings"), blank=True, related_name="recommendations"
    )
    theme = models.CharField(_("theme"), max_length=2, choices=Theme.choices)
    level = models.CharField(
        _("level"), max_length=20, choices=Level.choices, default=Level.INSTITUTIONAL
    )
    text = models.TextField(_("recommended action"))
    indicator = models.TextField(_("indicator of success"), blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    state = models.CharField(_("status"), max_length=24, choices=State.choices, default=State.DRAFT)
    state_changed_on = models.DateField(_("status since"), null=True, blank=True)
    claimed_status = models.CharField(
        _("authority's claim"), max_length=24, choices=ClaimedStatus.choices, blank=True
    )
    assessed_verdict = models.CharField(
        _("NPM's assessment"), max_length=20, choices=Verdict.choices, blank=True
    )
    repeat_of = models.ForeignKey(
        "self",
        verbose_name=_("repeats"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repeats",
    )
    escalates = models.ManyToManyField(
        "self",
        verbose_name=_("escalates"),
        symmetrical=False,
        blank=True,
        related_name="escalations",
        help_text=_("The original recommendations this individualised one takes up."),
    )
    # None for the system (an import or demo data without an actor): blank, so that such a
    # recommendation still validates when it later moves along its life cycle.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ("-issued_on", "-id")
        indexes = [
            models.Index(fields=["addressee", "state"]),
            models.Index(fields=["state", "deadline"]),
            models.Index(fields=["issued_on"]),
            # the escalations-due queue's order (most overdue first), read page by page
            models.Index(fields=["deadline", "id"], name="recommendation_due_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    def clean(self) -> None:
        super().clean()
        if self.deadline and self.issued_on and self.deadline < self.issued_on:
            raise ValidationError({"deadline": _("The deadline cannot be before the issue date.")})


class AuthorityResponse(BaseModel):
    """An authority's answer. Never edited after submission: a correction is a new response."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="responses"
    )
    responding_agency = models.ForeignKey(
        "reference.Agency",
        verbose_name=_("responding body"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    letter_number = models.CharField(_("letter number"), max_length=60)
    letter_date = models.DateField(_("letter date"))
    measures = models.TextField(_("measures taken"))
    claimed_status = models.CharField(
        _("status claimed"), max_length=24, choices=ClaimedStatus.choices
    )
    on_time = models.BooleanField(_("on time"))
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("authority response")
        verbose_name_plural = _("authority responses")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.letter_number} ({self.letter_date})"


class ResponseAttachment(EncryptedFile):
    """Evidence attached to a response: checked by content, stored encrypted."""

    storage_dir = "response-attachments"

    response = models.ForeignKey(
        AuthorityResponse, on_delete=models.CASCADE, related_name="attachments"
    )

    class Meta:
        verbose_name = _("response attachment")
        verbose_name_plural = _("response attachments")
        ordering = ("id",)


class PendingResponseFile(PendingUpload):
    """Evidence chosen on a response form that came back with an error, kept until the form
    is sent again (`vigil.core.files.pending`)."""

    storage_dir = "response-pending"

    class Meta:
        verbose_name = _("evidence kept for a response")
        verbose_name_plural = _("evidence kept for responses")


class Assessment(BaseModel):
    """The NPM's view of a claim: accepted, disputed with reasons, verified at a visit."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="assessments"
    )
    response = models.ForeignKey(
        AuthorityResponse,
        verbose_name=_("response"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    verdict = models.CharField(_("assessment"), max_length=20, choices=Verdict.choices)
    reasons = models.TextField(_("reasons"), blank=True)
    visit = models.ForeignKey(
        "visits.Visit",
        verbose_name=_("verified at visit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendation_assessments",
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return self.get_verdict_display()


class RecommendationEvent(models.Model):
    """The recommendation's timeline: status changes, responses, assessments, reminders."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    from_state = models.CharField(_("from"), max_length=24, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=24, choices=State.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    occurred_at = models.DateTimeField(_("time"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("recommendation event")
        verbose_name_plural = _("recommendation events")
        ordering = ("occurred_at", "id")

    def __str__(self) -> str:
        return self.get_kind_display()


class Reminder(models.Model):
    """A reminder sent: kept so that running the scheduled command twice sends nothing twice."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    deadline = models.DateField(_("deadline"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipients = models.JSONField(default=list)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "kind", "deadline"], name="recommendations_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recommendation} {self.kind}"
