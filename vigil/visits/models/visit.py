from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.models import BaseModel

from ..enums import (
    AccessIncidentKind,
    Theme,
    TriggerKind,
    VisitMode,
    VisitState,
    VisitType,
)


class AnnualPlan(BaseModel):
    """A year's plan of visits, built by coordinators and regional representatives."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")
        ordering = ("-year",)

    def __str__(self) -> str:
        return self.title or str(self.year)


class Visit(BaseModel):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    plan = models.ForeignKey(
        AnnualPlan, verbose_name=_("annual plan"), on_delete=models.PROTECT, related_name="visits"
    )
    type = models.CharField(_("type"), max_length=20, choices=VisitType.choices)
    mode = models.CharField(
        _("mode"), max_length=20, choices=VisitMode.choices, default=VisitMode.IN_PERSON
    )
    announced = models.BooleanField(_("announced in advance"), default=False)
    state = models.CharField(
        _("state"), max_length=24, choices=VisitState.choices, default=VisitState.DRAFT
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    institutions = models.ManyToManyField(
        "registry.Institution", verbose_name=_("institutions"), related_name="visits"
    )
    region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="visits",
        help_text=_("The region of the visited institutions; regional scopes follow it."),
    )
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    trigger_kind = models.CharField(
        _("trigger"), max_length=20, choices=TriggerKind.choices, blank=True
    )
    trigger_details = models.TextField(_("trigger details"), blank=True)
    trigger_reference = models.CharField(
        _("trigger reference"),
        max_length=100,
        blank=True,
        help_text=_("E.g. the number of the appeal or a link to the media report."),
    )
    follow_up_of = models.ForeignKey(
        "self",
        verbose_name=_("follows up the visit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    theme = models.CharField(_("theme"), max_length=2, choices=Theme.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ("-planned_start", "-id")
        # The lists' default order, newest first with empty dates last, has its indexes on
        # PostgreSQL (migration 0010; SQLite's indexes cannot say NULLS LAST).
        indexes = [models.Index(fields=["state", "planned_start"])]

    def __str__(self) -> str:
        return self.reference

    def clean(self) -> None:
        super().clean()
        if self.planned_end and self.planned_end < self.planned_start:
            raise ValidationError({"planned_end": _("The visit cannot end before it starts.")})


class TeamMember(BaseModel):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="team")
    participant = models.ForeignKey(
        "people.Participant",
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="team_memberships",
    )
    is_lead = models.BooleanField(_("team lead"), default=False)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ("-is_lead", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "participant"], name="visits_teammember_once_per_visit"
            ),
            models.UniqueConstraint(
                fields=["visit"],
                condition=models.Q(is_lead=True),
                name="visits_teammember_one_lead",
            ),
        ]

    def __str__(self) -> str:
        return str(self.participant)


class VisitTransition(models.Model):
    """The visit's life-cycle history, shown as its timeline."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(_("from"), max_length=24, choices=VisitState.choices)
    to_state = models.CharField(_("to"), max_length=24, choices=VisitState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    occurred_at = models.DateTimeField(_("time"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("visit state change")
        verbose_name_plural = _("visit state changes")
        ordering = ("occurred_at", "id")

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class AccessIncident(BaseModel):
    """Delay, refusal, area denied or obstruction met by the team."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="access_incidents")
    institution = models.ForeignKey(
        "registry.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AccessIncidentKind.choices)
    occurred_at = models.DateTimeField(_("time"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    details = models.TextField(_("details"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("access incident")
        verbose_name_plural = _("access incidents")
        ordering = ("occurred_at", "id")

    def __str__(self) -> str:
        return self.get_kind_display()
