"""UN documents (CAT, SPT, UPR, other treaty bodies, special procedures), their paragraphs,
the links from a paragraph to the NPM's own evidence, and the assessments of each paragraph's
implementation by source on configurable scales.

A confidential document (an SPT visit report the state has not published) is seen by
coordinators only until `published_on` is set (`permissions.py`).
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vigil.core.models import BaseModel, MultilingualNameMixin, localized_name
from vigil.visits.enums import Theme

from .enums import AssessmentSource, Body, DocumentKind, EventKind, LinkKind, LinkOrigin, LinkStatus

LANGUAGES = ("en", "ru", "kk")
"""The languages a paragraph's text may be kept in (the UN's English first)."""


class Document(BaseModel):
    symbol = models.CharField(
        _("symbol"),
        max_length=100,
        unique=True,
        help_text=_("The UN document symbol, e.g. CAT/C/KAZ/CO/4."),
    )
    body = models.CharField(_("body"), max_length=20, choices=Body.choices)
    kind = models.CharField(_("kind of document"), max_length=30, choices=DocumentKind.choices)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300, blank=True)
    adopted_on = models.DateField(_("adopted on"))
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_(
            "A report the state has not published (e.g. after an SPT visit): coordinators "
            "only, until its publication date is entered."
        ),
    )
    published_on = models.DateField(
        _("published on"),
        null=True,
        blank=True,
        help_text=_("For a confidential report: the day the state published it."),
    )
    url = models.URLField(_("link"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("UN document")
        verbose_name_plural = _("UN documents")
        ordering = ("-adopted_on", "symbol")

    def __str__(self) -> str:
        return self.symbol

    @property
    def title(self) -> str:
        return localized_name(self, field="title")

    @property
    def restricted(self) -> bool:
        """Confidential and not yet published: coordinators only."""
        return self.confidential and self.published_on is None

    def clean(self) -> None:
        super().clean()
        if self.published_on and self.adopted_on and self.published_on < self.adopted_on:
            raise ValidationError(
                {"published_on": _("A document cannot be published before it was adopted.")}
            )


class Paragraph(BaseModel):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="paragraphs")
    number = models.CharField(
        _("paragraph"),
        max_length=20,
        help_text=_("As numbered in the document: 10, 24 (a), 139.12."),
    )
    position = models.PositiveIntegerField(
        _("order"), default=0, help_text=_("The paragraph's place in the document.")
    )
    text_en = models.TextField(_("text (English)"), blank=True)
    text_ru = models.TextField(_("text (Russian)"), blank=True)
    text_kk = models.TextField(_("text (Kazakh)"), blank=True)
    follow_up = models.BooleanField(
        _("follow-up paragraph"),
        default=False,
        help_text=_("The body asked the state to report on it within a year."),
    )
    themes = models.CharField(
        _("themes"),
        max_length=40,
        blank=True,
        help_text=_("Theme codes of the taxonomy (T1–T8), separated by spaces."),
    )
    addressees = models.ManyToManyField(
        "reference.Agency",
        verbose_name=_("addressed to"),
        blank=True,
        related_name="un_paragraphs",
        help_text=_("The state bodies that must act on it; their liaisons see the paragraph."),
    )

    class Meta:
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")
        ordering = ("document", "position", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("document", "number"), name="international_paragraph_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document.symbol}, § {self.number}"

    @property
    def text(self) -> str:
        return localized_name(self, field="text")

    @property
    def theme_list(self) -> list[str]:
        return self.themes.split()

    def theme_labels(self) -> list[str]:
        labels = dict(Theme.choices)
        return [str(labels.get(code, code)) for code in self.theme_list]

    def clean(self) -> None:
        super().clean()
        self.number = (self.number or "").strip()
        errors: dict[str, Any] = {}
        codes = (self.themes or "").replace(",", " ").split()
        unknown = [code for code in codes if code not in Theme.values]
        if unknown:
            errors["themes"] = _("Unknown theme: %(codes)s.") % {"codes": ", ".join(unknown)}
        else:
            self.themes = " ".join(sorted(set(codes)))
        if not any((getattr(self, f"text_{lang}") or "").strip() for lang in LANGUAGES):
            errors["text_en"] = _("Enter the paragraph's text in one language.")
        if errors:
            raise ValidationError(errors)


class AssessmentScale(MultilingualNameMixin, BaseModel):
    """A grading scale (1–3, A–E, …); reference data, each grade in `ScaleGrade`."""

    code = models.SlugField(_("code"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("assessment scale")
        verbose_name_plural = _("assessment scales")
        ordering = ("code",)


class ScaleGrade(MultilingualNameMixin, BaseModel):
    scale = models.ForeignKey(AssessmentScale, on_delete=models.CASCADE, related_name="grades")
    code = models.CharField(_("grade"), max_length=10)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    not_applicable = models.BooleanField(
        _("not applicable"), default=False, help_text=_("An assessment with it must give a reason.")
    )

    class Meta:
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        ordering = ("scale", "position", "id")
        constraints = [
            models.UniqueConstraint(fields=("scale", "code"), name="international_grade_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}" if self.name else self.code


class Assessment(BaseModel):
    """One source's grade of one paragraph on one day. Never changed: a later grade is a new
    row, so the paragraph keeps its history; the latest per source is the current one."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="assessments")
    source = models.CharField(_("source"), max_length=20, choices=AssessmentSource.choices)
    source_name = models.CharField(
        _("assessed by"),
        max_length=200,
        blank=True,
        help_text=_("E.g. the NGO Coalition against Torture; empty for the state or the NPM."),
    )
    grade = models.ForeignKey(
        ScaleGrade, verbose_name=_("grade"), on_delete=models.PROTECT, related_name="assessments"
    )
    reason = models.TextField(
        _("reason"), blank=True, help_text=_("Required for “not applicable”.")
    )
    assessed_on = models.DateField(_("assessed on"))
    reference = models.CharField(
        _("published in"),
        max_length=300,
        blank=True,
        help_text=_("The report or letter the grade comes from."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ("paragraph", "source", "source_name", "-assessed_on", "-id")

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.grade.code}"

    @property
    def source_label(self) -> str:
        return self.source_name or str(self.get_source_display())

    def clean(self) -> None:
        super().clean()
        if self.grade_id and self.grade.not_applicable and not (self.reason or "").strip():
            raise ValidationError({"reason": _("Give the reason why it is not applicable.")})


class ParagraphLink(BaseModel):
    """A paragraph linked to the NPM's evidence: a finding, a recommendation or a widespread
    systemic issue (a theme in one branch of the agency tree). A suggestion a person rejected
    is kept as REJECTED, so that it is not suggested again."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("kind"), max_length=20, choices=LinkKind.choices)
    finding = models.ForeignKey(
        "visits.Finding", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    recommendation = models.ForeignKey(
        "recommendations.Recommendation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="un_links",
    )
    systemic_theme = models.CharField(_("theme"), max_length=2, choices=Theme.choices, blank=True)
    systemic_branch = models.ForeignKey(
        "reference.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=LinkStatus.choices, default=LinkStatus.CONFIRMED
    )
    origin = models.CharField(
        _("origin"), max_length=20, choices=LinkOrigin.choices, default=LinkOrigin.MANUAL
    )
    score = models.FloatField(_("similarity"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("paragraph link")
        verbose_name_plural = _("paragraph links")
        ordering = ("paragraph", "kind", "id")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind=LinkKind.FINDING,
                        finding__isnull=False,
                        recommendation__isnull=True,
                        systemic_branch__isnull=True,
                        systemic_theme="",
                    )
                    | Q(
                        kind=LinkKind.RECOMMENDATION,
                        finding__isnull=True,
                        recommendation__isnull=False,
                        systemic_branch__isnull=True,
                        systemic_theme="",
                    )
                    | Q(
                        kind=LinkKind.SYSTEMIC,
                        finding__isnull=True,
                        recommendation__isnull=True,
                        systemic_branch__isnull=False,
                    )
                    & ~Q(systemic_theme="")
                ),
                name="international_link_one_target",
            ),
            models.UniqueConstraint(
                fields=("paragraph", "finding"),
                condition=Q(kind=LinkKind.FINDING),
                name="international_link_finding_unique",
            ),
            models.UniqueConstraint(
                fields=("paragraph", "recommendation"),
                condition=Q(kind=LinkKind.RECOMMENDATION),
                name="international_link_recommendation_unique",
            ),
            models.UniqueConstraint(
                fields=("paragraph", "systemic_theme", "systemic_branch"),
                condition=Q(kind=LinkKind.SYSTEMIC),
                name="international_link_systemic_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.paragraph} → {self.get_kind_display()}"


class ParagraphEvent(models.Model):
    """The timeline of a paragraph (built only by `..timeline`)."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    occurred_at = models.DateTimeField(_("time"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("paragraph event")
        verbose_name_plural = _("paragraph events")
        ordering = ("occurred_at", "id")

    def __str__(self) -> str:
        return self.get_kind_display()
