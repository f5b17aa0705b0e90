"""Base model shared by every domain entity; the calendar, the import batches, the keys of
forms sent once, legal holds and the tombstones of disposed records (`vigil.core.retention`)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .enums import CalendarDayKind


class BaseModel(models.Model):
    """Public UUID for URLs and the API, never the sequential key; timestamps."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class MultilingualNameMixin(models.Model):
    """A name in each of the platform's languages; `name` picks the active one."""

    name_kk = models.CharField(_("name (Kazakh)"), max_length=300, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=300, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized_name(self)


NAME_FALLBACK_ORDER = ("ru", "kk", "en")


def localized_name(obj: object, language: str | None = None, *, field: str = "name") -> str:
    """The object's `<field>_<lang>` in `language` (default: active), else the first filled."""
    lang = (language or get_language() or "ru")[:2]
    for code in (lang, *NAME_FALLBACK_ORDER):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return str(value)
    return ""


class CalendarDay(MultilingualNameMixin, BaseModel):
    """A date that differs from a plain week in a country's working-day calendar.

    Public holidays and extra days off (weekend carry-overs, days moved by government decree)
    make a day non-working; a transferred working day makes a weekend day a working one. Every
    other day follows the weekly rest days (see `vigil.core.calendar.WorkingCalendar`).
    """

    country = models.CharField(
        _("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2 code, e.g. KZ.")
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=CalendarDayKind.choices)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ("country", "date")
        constraints = [
            models.UniqueConstraint(
                fields=("country", "date"), name="core_calendarday_country_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.date.isoformat()} {self.name}"


class ImportBatch(BaseModel):
    """An uploaded file of some kind of import (`kind`: "institutions", "recommendations"),
    kept between its preview and its confirmation; the commands import directly."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        APPLIED = "applied", _("Imported")
        FAILED = "failed", _("Has errors")

    class FileFormat(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"
        ZIP = "zip", _("ZIP of CSV files")

    kind = models.CharField(_("kind"), max_length=32, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    file_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("file format"), max_length=8, choices=FileFormat.choices)
    content = models.BinaryField(_("content"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applied by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return self.file_name


class FormSubmission(models.Model):
    """One saving of a form sent with a key the browser made (`vigil.core.submissions`): the
    same form sent again after a dropped connection is recognised and not saved twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField(_("key"))
    location = models.CharField(_("saved at"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")
        constraints = [
            models.UniqueConstraint(fields=("user", "key"), name="core_formsubmission_once")
        ]

    def __str__(self) -> str:
        return str(self.key)


class LegalHoldQuerySet(models.QuerySet["LegalHold"]):
    def active(self) -> "LegalHoldQuerySet":
        return self.filter(lifted_at__isnull=True)

    def on(self, target: models.Model) -> "LegalHoldQuerySet":
        return self.filter(target_type=target._meta.label_lower, target_id=target.public_id)  # type: ignore[attr-defined]


class LegalHold(BaseModel):
    """A hold on a record (an appeal, a visit with its interviews and files, a file): while
    it is active (not lifted), nothing it covers is disposed of. The record is named as the
    audit log names it (model label and public id), so any app's record can be held."""

    target_type = models.CharField(max_length=100)
    target_id = models.UUIDField()
    target_label = models.CharField(max_length=300, blank=True)
    reason = models.TextField(_("reason"))
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lift_reason = models.TextField(_("reason for lifting"), blank=True)

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ("-created_at", "-id")
        indexes = (models.Index(fields=("target_type", "target_id"), name="legal_hold_target"),)
        constraints = (
            models.UniqueConstraint(
                fields=("target_type", "target_id"),
                condition=models.Q(lifted_at__isnull=True),
                name="legal_hold_one_active_per_target",
            ),
        )

    def __str__(self) -> str:
        return f"{self.target_label or self.target_id}"


class Disposal(models.Model):
    """The tombstone of a record disposed of at the end of its retention period: what it was
    (kind, model, public id, the record it belonged to), under which rule, when its period
    ended and when it was disposed of, and the facts that statistics and history still need
    (never its content). One per record: running the disposal again finds nothing to do."""

    kind = models.CharField(max_length=40)
    target_type = models.CharField(max_length=100)
    target_id = models.UUIDField()
    owner_type = models.CharField(max_length=100, blank=True)
    owner_id = models.UUIDField(null=True, blank=True)
    rule = models.CharField(max_length=300)
    expired_on = models.DateField()
    disposed_at = models.DateTimeField(auto_now_add=True)
    facts = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("disposal")
        verbose_name_plural = _("disposals")
        ordering = ("disposed_at", "id")
        constraints = (
            models.UniqueConstraint(fields=("kind", "target_id"), name="disposal_once_per_record"),
        )

    def __str__(self) -> str:
        return f"{self.kind} {self.target_id}"
