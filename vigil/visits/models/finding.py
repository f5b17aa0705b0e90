from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.models import BaseModel

from ..enums import EvidenceKind, NoteKind, RootCause, Severity, Theme


class Finding(BaseModel):
    visit = models.ForeignKey("visits.Visit", on_delete=models.CASCADE, related_name="findings")
    institution = models.ForeignKey(
        "registry.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="findings",
    )
    theme = models.CharField(_("theme"), max_length=2, choices=Theme.choices)
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"))
    evidence_kinds = models.JSONField(
        _("evidence"), default=list, blank=True, help_text=_("Which kinds of evidence support it.")
    )
    standard_references = models.CharField(
        _("standards"), max_length=300, blank=True, help_text=_("E.g. Nelson Mandela Rule 42.")
    )
    root_cause = models.CharField(
        _("root cause"), max_length=20, choices=RootCause.choices, blank=True
    )
    answers = models.ManyToManyField(
        "visits.ChecklistAnswer",
        verbose_name=_("checklist answers"),
        blank=True,
        related_name="findings",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ("theme", "id")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        unknown = [k for k in self.evidence_kinds or [] if k not in EvidenceKind.values]
        if unknown or len(set(self.evidence_kinds or [])) != len(self.evidence_kinds or []):
            raise ValidationError({"evidence_kinds": _("Unknown or repeated kind of evidence.")})

    @property
    def evidence_count(self) -> int:
        return len(set(self.evidence_kinds or []))


class InternalNote(BaseModel):
    """The team's working material: never part of a report, never seen by the authorities."""

    visit = models.ForeignKey("visits.Visit", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(
        _("kind"), max_length=20, choices=NoteKind.choices, default=NoteKind.OBSERVATION
    )
    text = models.TextField(_("note"))

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        # Never the text: str() ends up in audit rows, which administrators read.
        return str(_("Internal note (%(kind)s)") % {"kind": self.get_kind_display()})
