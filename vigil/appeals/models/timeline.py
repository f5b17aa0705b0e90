"""The timelines of appeals, referrals and criminal cases (built only by `..timeline`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..enums import EventKind


class _Event(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    from_state = models.CharField(_("from"), max_length=24, blank=True)
    to_state = models.CharField(_("to"), max_length=24, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    occurred_at = models.DateTimeField(_("time"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ("occurred_at", "id")

    def __str__(self) -> str:
        return self.get_kind_display()


class AppealEvent(_Event):
    appeal = models.ForeignKey("appeals.Appeal", on_delete=models.CASCADE, related_name="events")

    class Meta(_Event.Meta):
        verbose_name = _("appeal event")
        verbose_name_plural = _("appeal events")


class ReferralEvent(_Event):
    referral = models.ForeignKey(
        "appeals.Referral", on_delete=models.CASCADE, related_name="events"
    )

    class Meta(_Event.Meta):
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")


class CaseEvent(_Event):
    case = models.ForeignKey(
        "appeals.CriminalCase", on_delete=models.CASCADE, related_name="events"
    )

    class Meta(_Event.Meta):
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
