"""Planning data: the risk score's factors and weights, what each institution type holds, and
the coverage rules (how often each kind of institution must be visited), all editable data."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.models import BaseModel, MultilingualNameMixin
from vigil.reference.enums import InstitutionCategory

from .enums import (
    PinKind,
    ProposalEventKind,
    ProposalState,
    RawUnit,
    RiskFactorCode,
    VulnerableGroup,
)

MAX_WEIGHT = 100


class RiskFactor(BaseModel):
    """One term of the risk score: its weight and how its raw value is normalised to 0..1.

    normalised = clamp((raw - threshold) / (saturation - threshold), 0, 1); the factor's
    contribution is 100 * weight * normalised / (sum of all weights)."""

    code = models.CharField(_("factor"), max_length=32, choices=RiskFactorCode.choices, unique=True)
    unit = models.CharField(_("unit"), max_length=16, choices=RawUnit.choices, editable=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0, editable=False)
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        validators=[MaxValueValidator(MAX_WEIGHT)],
        help_text=_("0 (ignored) to 100."),
    )
    threshold = models.PositiveIntegerField(
        _("counts from"), default=0, help_text=_("Raw values up to this add nothing.")
    )
    saturation = models.PositiveIntegerField(
        _("full at"),
        validators=[MinValueValidator(1)],
        help_text=_("The raw value at which the factor counts in full."),
    )
    lookback_months = models.PositiveSmallIntegerField(
        _("period (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_("For counts of events: how far back they are counted."),
    )

    class Meta:
        verbose_name = _("risk factor")
        verbose_name_plural = _("risk factors")
        ordering = ("position", "code")

    def __str__(self) -> str:
        return str(self.get_code_display())

    def clean(self) -> None:
        super().clean()
        if (
            self.saturation is not None
            and self.threshold is not None
            and self.saturation <= self.threshold
        ):
            raise ValidationError(
                {"saturation": _("Must be greater than the value it counts from.")}
            )


class VulnerabilityProfile(BaseModel):
    """The groups in vulnerable situations an institution type holds, by the type's code
    (institution types are reference data per country; a type without a profile holds none
    known, except children counted in an institution's population)."""

    type_code = models.CharField(_("institution type code"), max_length=40, unique=True)
    children = models.BooleanField(_("children"), default=False)
    disabilities = models.BooleanField(_("persons with disabilities"), default=False)
    psychiatric = models.BooleanField(_("psychiatric patients"), default=False)

    class Meta:
        verbose_name = _("vulnerability profile")
        verbose_name_plural = _("vulnerability profiles")
        ordering = ("type_code",)

    def __str__(self) -> str:
        return self.type_code


class CoverageRule(MultilingualNameMixin, BaseModel):
    """How often a kind of institution must be visited, valid for a period.

    An institution falls under the rule when its type's category is in `categories`, or its
    type's code in `type_codes`, or it holds the group `holds`; a rule naming none of them
    covers every institution. It is due in a plan year when its last visit was
    `interval_years` or more years before that year (or it was never visited)."""

    categories = models.JSONField(_("categories"), default=list, blank=True)
    type_codes = models.JSONField(_("institution type codes"), default=list, blank=True)
    holds = models.CharField(
        _("institutions holding"), max_length=20, choices=VulnerableGroup.choices, blank=True
    )
    interval_years = models.PositiveSmallIntegerField(
        _("at least every (years)"), validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("coverage rule")
        verbose_name_plural = _("coverage rules")
        ordering = ("interval_years", "id")

    def clean(self) -> None:
        super().clean()
        if not (self.name_kk or self.name_ru or self.name_en):
            raise ValidationError({"name_en": _("Give the name in at least one language.")})
        if not isinstance(self.categories, list) or not set(self.categories) <= set(
            InstitutionCategory.values
        ):
            raise ValidationError({"categories": _("Choose known institution categories.")})
        if not isinstance(self.type_codes, list) or not all(
            isinstance(c, str) and c for c in self.type_codes
        ):
            raise ValidationError({"type_codes": _("Give a list of institution type codes.")})
        if self.valid_from and self.valid_to and self.valid_to <= self.valid_from:
            raise ValidationError({"valid_to": _("Must be after the start of validity.")})

    @property
    def category_labels(self) -> list[str]:
        """The categories' names in the active language (an unknown value as it is)."""
        labels = dict(InstitutionCategory.choices)
        return [str(labels.get(c, c)) for c in self.categories or []]

    def in_force_during(self, year: int) -> bool:
        """Whether the rule is valid on at least one day of the year."""
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        return (self.valid_from is None or self.valid_from <= end) and (
            self.valid_to is None or self.valid_to > start
        )


class PlanProposal(BaseModel):
    """The optimiser's proposal for a year's visits (one per year): draft → proposed →
    approved (and back to draft from proposed); the parameters and the solver's result kept
    as computed. Approved, it creates the planned visits once (`visits_created_at`)."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    state = models.CharField(
        _("state"), max_length=16, choices=ProposalState.choices, default=ProposalState.DRAFT
    )
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(_("solver status"), max_length=16, blank=True)
    objective = models.PositiveIntegerField(_("total risk covered"), default=0)
    bound = models.PositiveIntegerField(_("best bound"), default=0)
    gap = models.FloatField(_("gap"), default=0.0)
    wall_s = models.FloatField(_("solve time (s)"), default=0.0)
    infeasibility = models.JSONField(_("infeasibility"), default=dict, blank=True)
    # coverage "priority": the due institutions (by pk) the plan could not staff
    left_out = models.JSONField(_("due institutions left out"), default=list, blank=True)
    solved_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    visits_created_at = models.DateTimeField(_("planned visits created at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("plan proposal")
        verbose_name_plural = _("plan proposals")
        ordering = ("-year",)

    def __str__(self) -> str:
        return str(self.year)


class ProposalVisit(models.Model):
    """One visit of a proposal: the institution, its month, its team and why it is in."""

    proposal = models.ForeignKey(PlanProposal, on_delete=models.CASCADE, related_name="visits")
    institution = models.ForeignKey(
        "registry.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    team = models.ManyToManyField(
        "people.Participant", verbose_name=_("team"), related_name="+", blank=True
    )
    risk = models.PositiveIntegerField(_("risk score"), default=0)
    why = models.CharField(_("why"), max_length=16)

    class Meta:
        verbose_name = _("proposed visit")
        verbose_name_plural = _("proposed visits")
        ordering = ("month", "-risk", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("proposal", "institution"), name="planning_proposal_visit_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution} ({self.month})"


class ProposalPin(models.Model):
    """An institution pinned in (in a month or any) or excluded by hand, with the reason;
    re-solving keeps it."""

    proposal = models.ForeignKey(PlanProposal, on_delete=models.CASCADE, related_name="pins")
    institution = models.ForeignKey(
        "registry.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("pin"), max_length=16, choices=PinKind.choices)
    month = models.PositiveSmallIntegerField(
        _("month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pin")
        verbose_name_plural = _("pins")
        ordering = ("id",)
        constraints = [
            models.UniqueConstraint(
                fields=("proposal", "institution"), name="planning_proposal_pin_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution}: {self.get_kind_display()}"

    def clean(self) -> None:
        super().clean()
        if self.kind == PinKind.EXCLUDED and self.month is not None:
            raise ValidationError({"month": _("An excluded institution has no month.")})
        if not (self.reason or "").strip():
            raise ValidationError({"reason": _("Give the reason.")})


class ProposalEvent(models.Model):
    """The proposal's timeline: computations, pins, state changes, visits created."""

    proposal = models.ForeignKey(PlanProposal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=16, choices=ProposalEventKind.choices)
    from_state = models.CharField(_("from"), max_length=16, blank=True)
    to_state = models.CharField(_("to"), max_length=16, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("proposal event")
        verbose_name_plural = _("proposal events")
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
