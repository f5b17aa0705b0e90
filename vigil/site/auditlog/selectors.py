"""Reads of the audit trail for the audit-log pages and the auditor's home."""

from django.db.models import QuerySet

from vigil.accounts.models import User
from vigil.audit.models import AccessEvent, AuditEvent

from .permissions import can_view_audit


def audit_events_visible_to(user: User) -> QuerySet[AuditEvent]:
    if not can_view_audit(user):
        return AuditEvent.objects.none()
    return AuditEvent.objects.select_related("actor")


def access_events_visible_to(user: User) -> QuerySet[AccessEvent]:
    if not can_view_audit(user):
        return AccessEvent.objects.none()
    return AccessEvent.objects.select_related("actor")
