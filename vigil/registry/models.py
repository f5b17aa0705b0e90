"""Reference data (regions, agencies, institution types) and the institution registry."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.models import BaseModel, MultilingualNameMixin

from .enums import (
    AgencyLevel,
    InstitutionCategory,
    InstitutionStatus,
    RegionKind,
    SecurityLevel,
)


class ValidityMixin(models.Model):
    """Reference data is versioned: an entry is valid from one date to another."""

    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        abstract = True

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day < self.valid_to
        )

    def clean(self) -> None:
        super().clean()
        if self.valid_from and self.valid_to and self.valid_to <= self.valid_from:
            raise ValidationError({"valid_to": _("Must be after the start of validity.")})


class Region(MultilingualNameMixin, ValidityMixin, BaseModel):  # noqa: DJ008 (__str__ from the mixin)
    code = models.CharField(
        _("code"), max_length=10, unique=True, help_text=_("ISO 3166-2 code, e.g. KZ-71.")
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=RegionKind.choices, default=RegionKind.REGION
    )
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("split from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successors",
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ("code",)


class Agency(MultilingualNameMixin, ValidityMixin, BaseModel):  # noqa: DJ008 (__str__ from the mixin)
    code = models.CharField(_("code"), max_length=40, unique=True)
    short_name_kk = models.CharField(_("short name (Kazakh)"), max_length=60, blank=True)
    short_name_ru = models.CharField(_("short name (Russian)"), max_length=60, blank=True)
    short_name_en = models.CharField(_("short name (English)"), max_length=60, blank=True)
    level = models.CharField(_("level"), max_length=24, choices=AgencyLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ("code",)


class InstitutionType(MultilingualNameMixin, ValidityMixin, BaseModel):  # noqa: DJ008 (__str__ from the mixin)
    code = models.CharField(_("code"), max_length=40, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=InstitutionCategory.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("responsible agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="institution_types",
    )

    class Meta:
        verbose_name = _("institution type")
        verbose_name_plural = _("institution types")
        ordering = ("category", "code")


class Institution(MultilingualNameMixin, BaseModel):
    external_code = models.CharField(
        _("external code"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        help_text=_("The code used in the NPM's own registry; imports match on it."),
    )
    type = models.ForeignKey(
        InstitutionType,
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        related_name="institutions",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="institutions"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="institutions"
    )
    address = models.CharField(_("address"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    population_men = models.PositiveIntegerField(_("adult men"), null=True, blank=True)
    population_women = models.PositiveIntegerField(_("adult women"), null=True, blank=True)
    population_boys = models.PositiveIntegerField(_("boys (under 18)"), null=True, blank=True)
    population_girls = models.PositiveIntegerField(_("girls (under 18)"), null=True, blank=True)
    population_date = models.DateField(_("population as of"), null=True, blank=True)
    security_level = models.CharField(
        _("security level"),
        max_length=20,
        choices=SecurityLevel.choices,
        default=SecurityLevel.NONE,
        blank=True,
    )
    status = models.CharField(
        _("status"),
        max_length=24,
        choices=InstitutionStatus.choices,
        default=InstitutionStatus.ACTIVE,
    )
    last_visited_on = models.DateField(_("last visited on"), null=True, blank=True)
    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ("name_ru", "id")
        indexes = [
            models.Index(fields=["region", "type"]),
            models.Index(fields=["last_visited_on"]),
        ]

    @property
    def population_total(self) -> int | None:
        parts = [
            self.population_men,
            self.population_women,
            self.population_boys,
            self.population_girls,
        ]
        known = [p for p in parts if p is not None]
        return sum(known) if known else None

    def clean(self) -> None:
        super().clean()
        if not (self.name_kk or self.name_ru or self.name_en):
            raise ValidationError({"name_ru": _("Give the name in at least one language.")})
