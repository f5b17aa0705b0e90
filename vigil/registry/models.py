"""The institution registry: places of deprivation of liberty and their import batches."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.collation import SortKey
from vigil.core.models import BaseModel, MultilingualNameMixin
from vigil.reference.models import Agency, InstitutionType, Region

from .enums import InstitutionStatus, SecurityLevel


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
            # The registry lists alphabetically (`alphabetical`): a page of 50 is read along
            # the index instead of computing every institution's sort key.
            *(
                models.Index(
                    SortKey(f"name_{lang}"), models.F("id"), name=f"registry_inst_sort_{lang}"
                )
                for lang in ("kk", "ru", "en")
            ),
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
