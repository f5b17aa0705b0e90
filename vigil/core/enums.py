"""Choices shared by the core app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDayKind(models.TextChoices):
    """What a dated entry in the working-day calendar means for a five-day working week."""

    HOLIDAY = "holiday", _("Public holiday (non-working)")
    DAY_OFF = "day_off", _("Extra day off (carried over or transferred)")
    WORKING_DAY = "working_day", _("Working day (transferred weekend day)")

    @classmethod
    def non_working(cls) -> frozenset[str]:
        """Kinds that make a day a non-working day whatever its weekday."""
        return frozenset({cls.HOLIDAY.value, cls.DAY_OFF.value})
