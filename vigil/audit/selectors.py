"""Reads of the audit trail that other apps show (an object's history)."""

from django.db.models import QuerySet

from .models import AuditEvent


def history_of(target_type: str, target_id: str) -> QuerySet[AuditEvent]:
    """An object's change history, newest first (callers check who may read it)."""
    return AuditEvent.objects.select_related("actor").filter(
        target_type=target_type, target_id=target_id
    )
