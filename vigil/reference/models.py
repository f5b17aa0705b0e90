"""Reference data: regions, agencies and institution types, versioned by validity dates.

The tables keep the names they had in the registry (`registry_region`, ...), where these
models lived until they moved here; the move changed no data.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.models import BaseModel, MultilingualNameMixin

from .enums import AgencyLevel, InstitutionCategory, RegionKind


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
    # Regions that share a border with this one: the annual plan's travel rule lets a
    # region's participants join visits there too (reference data, `neighbours` in the file).
    neighbours = models.ManyToManyField(
        "self", verbose_name=_("neighbouring regions"), blank=True, symmetrical=True
    )

    class Meta:
        db_table = "registry_region"  # created by the registry, where it lived before
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
        db_table = "registry_agency"
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
        db_table = "registry_institutiontype"
        verbose_name = _("institution type")
        verbose_name_plural = _("institution types")
        ordering = ("category", "code")
