"""Append-only audit trail of changes and log of reads of sensitive data."""

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import AccessKind, AccessOutcome


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit rows cannot be changed.")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise AppendOnlyError("Audit rows cannot be deleted.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:  # type: ignore[override]
        raise AppendOnlyError("Audit rows cannot be deleted.")


class AuditEvent(AppendOnlyModel):
    occurred_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("actor"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("target type"), max_length=64, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_label = models.CharField(_("target"), max_length=300, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ("-occurred_at", "-id")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class AccessEvent(AppendOnlyModel):
    occurred_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("actor"), max_length=254, blank=True)
    kind = models.CharField(_("kind"), max_length=40, choices=AccessKind.choices)
    outcome = models.CharField(
        _("outcome"),
        max_length=10,
        choices=AccessOutcome.choices,
        default=AccessOutcome.GRANTED,
        db_index=True,
    )
    target_type = models.CharField(_("target type"), max_length=64)
    target_id = models.CharField(_("target id"), max_length=64)
    target_label = models.CharField(_("target"), max_length=300, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("access event")
        verbose_name_plural = _("access events")
        ordering = ("-occurred_at", "-id")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.kind}"
