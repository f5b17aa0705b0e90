from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.models import BaseModel

from ..enums import ReportState


class VisitReport(BaseModel):
    """The report for the authorities: selected findings plus narrative, in one language."""

    visit = models.OneToOneField("visits.Visit", on_delete=models.CASCADE, related_name="report")
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    state = models.CharField(
        _("state"), max_length=20, choices=ReportState.choices, default=ReportState.DRAFT
    )
    introduction = models.TextField(_("introduction"), blank=True)
    conclusion = models.TextField(_("conclusions"), blank=True)
    findings = models.ManyToManyField(
        "visits.Finding", verbose_name=_("findings"), blank=True, related_name="reports"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("visit report")
        verbose_name_plural = _("visit reports")

    def __str__(self) -> str:
        return str(_("Report on visit %(reference)s") % {"reference": self.visit.reference})


class ReportTransition(models.Model):
    report = models.ForeignKey(VisitReport, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(_("from"), max_length=20, choices=ReportState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=ReportState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    occurred_at = models.DateTimeField(_("time"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("report state change")
        verbose_name_plural = _("report state changes")
        ordering = ("occurred_at", "id")

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"
