"""NPM participants: who may visit, with what expertise, and what they must not visit."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.models import BaseModel

from .enums import ConflictKind, Occupation, Profession

MAX_VISITS_PER_YEAR = 60
# The dates an unavailable period may name (the plan optimiser's years are 2000 to 2100).
FIRST_DAY = datetime.date(2000, 1, 1)
LAST_DAY = datetime.date(2100, 12, 31)


class Participant(BaseModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="participant",
    )
    profession = models.CharField(_("profession"), max_length=20, choices=Profession.choices)
    region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participants",
    )
    organisation = models.CharField(_("organisation"), max_length=300, blank=True)
    accredited_from = models.DateField(_("accredited from"))
    accredited_to = models.DateField(_("accredited until"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # What the selection rules (`EligibilityRule`) ask about, as declared by the participant.
    citizen = models.BooleanField(_("citizen"), default=True)
    occupation = models.CharField(
        _("current post"), max_length=20, choices=Occupation.choices, blank=True, default=""
    )
    dismissed_for_cause = models.BooleanField(
        _("dismissed for cause from such a post"), default=False
    )
    unexpunged_conviction = models.BooleanField(_("has an unexpunged conviction"), default=False)
    # What the annual plan's optimiser reads (`vigil.planning.proposals.build_instance`).
    visits_per_year = models.PositiveSmallIntegerField(
        _("visits a year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_VISITS_PER_YEAR)],
        help_text=_(
            "How many visits (planned and special) this person can join in a year; "
            "empty: the plan's default."
        ),
    )

    class Meta:
        verbose_name = _("NPM participant")
        verbose_name_plural = _("NPM participants")
        ordering = ("user__full_name",)

    def __str__(self) -> str:
        return str(self.user)

    def clean(self) -> None:
        super().clean()
        if self.accredited_to and self.accredited_to < self.accredited_from:
            raise ValidationError(
                {"accredited_to": _("The accreditation cannot end before it starts.")}
            )

    def is_accredited_on(self, day: datetime.date) -> bool:
        return self.accredited_from <= day and (
            self.accredited_to is None or day <= self.accredited_to
        )


class ParticipantAbsence(BaseModel):
    """A period in which the participant cannot join visits (leave, illness, other work),
    both days included. Deliberately only the dates: the plan needs no reason, and a reason
    (an illness) would be personal data the platform has no need to keep."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="absences")
    starts_on = models.DateField(_("unavailable from"))
    ends_on = models.DateField(_("unavailable until"), help_text=_("The last day, included."))

    class Meta:
        verbose_name = _("unavailable period")
        verbose_name_plural = _("unavailable periods")
        ordering = ("starts_on", "ends_on", "id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="people_absence_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_on.isoformat()} – {self.ends_on.isoformat()}"

    def clean(self) -> None:
        super().clean()
        errors = {}
        for name in ("starts_on", "ends_on"):
            day = getattr(self, name)
            if day is not None and not FIRST_DAY <= day <= LAST_DAY:
                errors[name] = _("Enter a date between 2000 and 2100.")
        if errors:
            raise ValidationError(errors)
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The period cannot end before it starts.")})


class TrainingRecord(BaseModel):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="trainings")
    title = models.CharField(_("training"), max_length=300)
    provider = models.CharField(_("provider"), max_length=300, blank=True)
    completed_on = models.DateField(_("completed on"))
    hours = models.PositiveIntegerField(_("hours"), null=True, blank=True)

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ("-completed_on",)

    def __str__(self) -> str:
        return self.title


class ConflictDeclaration(BaseModel):
    """A declared conflict of interest: the participant is not sent to the institution,
    or to any institution of the agency and its sub-units."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="conflicts")
    kind = models.CharField(_("kind"), max_length=30, choices=ConflictKind.choices)
    institution = models.ForeignKey(
        "registry.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conflict_declarations",
    )
    agency = models.ForeignKey(
        "reference.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conflict_declarations",
    )
    description = models.TextField(_("description"), blank=True)
    declared_on = models.DateField(_("declared on"))
    ends_on = models.DateField(
        _("no longer applies from"),
        null=True,
        blank=True,
        help_text=_("Leave empty while the conflict applies."),
    )

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ("-declared_on",)

    def __str__(self) -> str:
        target = self.institution or self.agency
        return f"{self.get_kind_display()}: {target}" if target else self.get_kind_display()

    def clean(self) -> None:
        super().clean()
        if self.institution_id is None and self.agency_id is None:
            raise ValidationError(_("Name the institution or the agency concerned."))

    def applies_on(self, day: datetime.date) -> bool:
        return self.declared_on <= day and (self.ends_on is None or day < self.ends_on)


class EligibilityRule(BaseModel):
    """The selection criteria for NPM participants set by an order of the Commissioner, valid
    from one date until the next order replaces them (`valid_to`, exclusive)."""

    order_number = models.CharField(_("order number"), max_length=60)
    order_date = models.DateField(_("order date"))
    title = models.CharField(_("title"), max_length=300)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    requires_accreditation = models.BooleanField(_("valid accreditation"), default=True)
    min_training_hours = models.PositiveIntegerField(
        _("training hours required"), default=0, help_text=_("0: no training required.")
    )
    training_within_years = models.PositiveSmallIntegerField(
        _("training within (years)"),
        null=True,
        blank=True,
        help_text=_("Count only training completed in these last years; empty: any time."),
    )
    no_conflict_of_interest = models.BooleanField(
        _("no declared conflict with the institution"), default=True
    )
    citizens_only = models.BooleanField(_("citizens only"), default=True)
    excluded_occupations = models.JSONField(_("posts excluded"), default=list, blank=True)
    exclude_dismissed_for_cause = models.BooleanField(
        _("not dismissed for cause from such a post"), default=True
    )
    exclude_convicted = models.BooleanField(_("no unexpunged conviction"), default=True)

    class Meta:
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")
        ordering = ("-valid_from", "-id")

    def __str__(self) -> str:
        return f"{self.order_number} ({self.title})"

    def clean(self) -> None:
        super().clean()
        if self.valid_to and self.valid_from and self.valid_to <= self.valid_from:
            raise ValidationError({"valid_to": _("Must be after the start of validity.")})
        allowed = set(Occupation.values) - {""}
        if (
            not isinstance(self.excluded_occupations, list)
            or not set(self.excluded_occupations) <= allowed
        ):
            raise ValidationError({"excluded_occupations": _("Choose known posts.")})

    def in_force_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


class EligibilityDecision(BaseModel):
    """A recorded check of a participant against the rule in force (None: no rule was in
    force, only accreditation and conflicts were checked), with the reasons of a refusal."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="eligibility_decisions"
    )
    rule = models.ForeignKey(
        EligibilityRule,
        verbose_name=_("rule"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    on_date = models.DateField(_("for the date"))
    eligible = models.BooleanField(_("eligible"))
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    purpose = models.CharField(_("purpose"), max_length=30)
    subject_public_id = models.UUIDField(_("concerning"), null=True, blank=True)
    institutions = models.ManyToManyField(
        "registry.Institution", verbose_name=_("institutions"), blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("eligibility decision")
        verbose_name_plural = _("eligibility decisions")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.participant}: {self.eligible}"
