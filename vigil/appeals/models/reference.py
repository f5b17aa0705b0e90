"""Reference data of appeal handling, loaded per country from `data/<country>/`: subject
categories, allegation types, investigating bodies and the time limits (no duration in code)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.models import BaseModel, MultilingualNameMixin

from ..enums import TimeLimitCode, TimeUnit


class _Coded(MultilingualNameMixin, BaseModel):
    code = models.CharField(_("code"), max_length=40, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        abstract = True
        ordering = ("sort_order", "code")


class AppealSubject(_Coded):
    """What an appeal is about (medical care, abuse of office, living conditions, torture...)."""

    class Meta(_Coded.Meta):
        verbose_name = _("appeal subject")
        verbose_name_plural = _("appeal subjects")


class AllegationType(_Coded):
    """The kind of violation alleged; `ill_treatment` marks torture and cruel treatment
    (they flag the institution and feed the art. 146 funnel)."""

    ill_treatment = models.BooleanField(_("ill-treatment"), default=False)

    class Meta(_Coded.Meta):
        verbose_name = _("allegation type")
        verbose_name_plural = _("allegation types")


class InvestigatingBody(_Coded):
    """A body that investigates art. 146 cases (special prosecutors, internal affairs...)."""

    class Meta(_Coded.Meta):
        verbose_name = _("investigating body")
        verbose_name_plural = _("investigating bodies")


class TimeLimit(BaseModel):
    """A time limit of appeal handling: its length and unit, as the law sets it."""

    code = models.CharField(_("code"), max_length=20, choices=TimeLimitCode.choices, unique=True)
    amount = models.PositiveSmallIntegerField(_("length"))
    unit = models.CharField(_("unit"), max_length=16, choices=TimeUnit.choices)

    class Meta:
        verbose_name = _("time limit")
        verbose_name_plural = _("time limits")
        ordering = ("code",)

    def __str__(self) -> str:
        return f"{self.get_code_display()}: {self.amount} {self.get_unit_display()}"
