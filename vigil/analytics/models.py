"""The consolidated annual report: one per year, its narrative sections per language, and its
builds (a PDF and a DOCX in one language, kept with the fingerprint of the data they print)."""

import datetime
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vigil.core.files.models import EncryptedFile
from vigil.core.models import BaseModel, localized_name


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class BuildStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("report build", "Queued")
    RUNNING = "running", pgettext_lazy("report build", "Running")
    DONE = "done", pgettext_lazy("report build", "Done")
    FAILED = "failed", pgettext_lazy("report build", "Failed")


class ReportLanguage(models.TextChoices):
    KK = "kk", "Қазақша"
    RU = "ru", "Русский"
    EN = "en", "English"


FINISHED = frozenset({BuildStatus.DONE, BuildStatus.FAILED})


class AnnualReport(BaseModel):
    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(1990), MaxValueValidator(2999)]
    )
    title_kk = models.CharField(_("title (Kazakh)"), max_length=200)
    title_ru = models.CharField(_("title (Russian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    state = models.CharField(
        _("state"), max_length=12, choices=ReportState.choices, default=ReportState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")

    def __str__(self) -> str:
        return self.title()

    def title(self, language: str | None = None) -> str:
        return localized_name(self, language, field="title")


class ReportSection(BaseModel):
    """A narrative section in the three languages: plain text, paragraphs separated by an
    empty line (escaped on output). `key`: introduction, conclusions, parliament, or a
    chapter's code."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(_("section"), max_length=40)
    text_kk = models.TextField(_("text (Kazakh)"), blank=True)
    text_ru = models.TextField(_("text (Russian)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="analytics_section_once")
        ]

    def __str__(self) -> str:
        return f"{self.report.year} {self.key}"

    def text(self, language: str) -> str:
        return str(getattr(self, f"text_{language}", "") or "")


class ReportFile(EncryptedFile):
    """A built PDF or DOCX, stored encrypted; shared by the builds with the same fingerprint."""

    storage_dir: ClassVar[str] = "annual-reports"


class ReportBuild(BaseModel):
    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="builds")
    language = models.CharField(_("language"), max_length=2, choices=ReportLanguage.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=BuildStatus.choices, default=BuildStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress"), default=0, validators=[MaxValueValidator(100)]
    )
    step = models.CharField(_("step"), max_length=100, blank=True)
    fingerprint = models.CharField(_("data fingerprint"), max_length=64, blank=True)
    reused = models.BooleanField(_("files reused"), default=False)
    pdf = models.ForeignKey(
        ReportFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    docx = models.ForeignKey(
        ReportFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="analytics_build_progress_max"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report.year} {self.language} {self.status}"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def interrupted(self) -> bool:
        """Running, but without a heartbeat for VIGIL_REPORT_BUILD_STALE_SECONDS: its worker
        stopped. A new build may be asked for (which marks this one failed)."""
        quiet = datetime.timedelta(seconds=settings.VIGIL_REPORT_BUILD_STALE_SECONDS)
        return self.status == BuildStatus.RUNNING and self.updated_at < timezone.now() - quiet
