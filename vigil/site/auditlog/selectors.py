"""Reads of the audit trail for the audit-log pages and the auditor's home."""

import datetime

from django.db.models import Q, QuerySet

from vigil.accounts.models import User
from vigil.audit.models import AccessEvent, AuditEvent
from vigil.core.search import search_condition, search_filter

from .permissions import can_view_audit


def audit_events_visible_to(user: User) -> QuerySet[AuditEvent]:
    if not can_view_audit(user):
        return AuditEvent.objects.none()
    return AuditEvent.objects.select_related("actor")


def access_events_visible_to(user: User) -> QuerySet[AccessEvent]:
    if not can_view_audit(user):
        return AccessEvent.objects.none()
    return AccessEvent.objects.select_related("actor")


def audit_events_filter(
    qs: QuerySet[AuditEvent],
    *,
    actor: str = "",
    action: str = "",
    target: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    qs = search_filter(qs, actor, ["actor_label"])
    if action:
        qs = qs.filter(action__startswith=action)
    if target := target.strip():
        label = search_condition(target, ["target_label"])
        same_id = Q(target_id=target)
        qs = qs.filter(same_id if label is None else label | same_id)
    if date_from:
        qs = qs.filter(occurred_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(occurred_at__date__lte=date_to)
    return qs
