"""NPM participants: who may visit, with what expertise, and what they must not visit."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.models import BaseModel

from .enums import ConflictKind, Profession


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
