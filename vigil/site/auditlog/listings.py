"""The audit and access logs as lists (`vigil.core.listing`): their pages and exports.

An export of either log is itself recorded, in the other log: the audit log's export is a
read of the trail, an access event (`AUDIT_EXPORTED`), and the access log's export is written
to the audit log like any list's. So each log's export is exactly the rows it shows.
"""

import json
from collections.abc import Mapping, Sequence
from typing import Any

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import ngettext_lazy

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AccessKind, action_label
from vigil.audit.models import AccessEvent, AuditEvent
from vigil.audit.services import access_record
from vigil.core.listing import Column, Filtered, Listing, from_filterset

from .filters import access_event_listing, audit_event_listing
from .permissions import can_view_audit


def _time(event: AuditEvent | AccessEvent) -> str:
    return timezone.localtime(event.occurred_at).isoformat(timespec="seconds")


def _data(event: AuditEvent | AccessEvent) -> str:
    return json.dumps(event.data, ensure_ascii=False, sort_keys=True) if event.data else ""


class AuditEventListing(Listing[AuditEvent]):
    name = "audit-log"
    count_label = ngettext_lazy("%(count)s event", "%(count)s events", "n")

    def allowed(self, user: User) -> bool:
        return can_view_audit(user)

    def filtered(self, user: User, params: QueryDict) -> Filtered[AuditEvent]:
        return from_filterset(audit_event_listing(user, params), params)

    def columns(self, user: User) -> Sequence[Column[AuditEvent]]:
        return [
            Column("occurred_at", _time),
            Column("actor", lambda e: e.actor_label),
            Column("action", lambda e: e.action),
            Column("action_name", lambda e: str(action_label(e.action))),
            Column("target_type", lambda e: e.target_type),
            Column("target_id", lambda e: e.target_id),
            Column("target", lambda e: e.target_label),
            Column("data", _data),
            Column("request_id", lambda e: e.request_id),
            Column("ip", lambda e: e.ip),
        ]

    def record_export(
        self, *, actor: User, data: Mapping[str, Any], context: RequestContext | None
    ) -> None:
        """Reading the trail out of Vigil is a read of sensitive data: an access event."""
        access_record(
            actor=actor, kind=AccessKind.AUDIT_EXPORTED, target=None, data=data, context=context
        )


class AccessEventListing(Listing[AccessEvent]):
    name = "access-log"
    count_label = ngettext_lazy("%(count)s access", "%(count)s accesses", "n")

    def allowed(self, user: User) -> bool:
        return can_view_audit(user)

    def filtered(self, user: User, params: QueryDict) -> Filtered[AccessEvent]:
        return from_filterset(access_event_listing(user, params), params)

    def columns(self, user: User) -> Sequence[Column[AccessEvent]]:
        return [
            Column("occurred_at", _time),
            Column("actor", lambda e: e.actor_label),
            Column("kind", lambda e: e.kind),
            Column("kind_name", lambda e: str(e.get_kind_display())),
            Column("outcome", lambda e: e.outcome),
            Column("target_type", lambda e: e.target_type),
            Column("target_id", lambda e: e.target_id),
            Column("target", lambda e: e.target_label),
            Column("reason", lambda e: e.reason),
            Column("data", _data),
            Column("request_id", lambda e: e.request_id),
            Column("ip", lambda e: e.ip),
        ]


AUDIT_LOG = AuditEventListing()
ACCESS_LOG = AccessEventListing()
