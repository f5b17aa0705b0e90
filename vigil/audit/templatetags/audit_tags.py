"""The audit trail in templates: `{% audit_rows events as rows %}` gives each event's
translated action, kind of record, link (where the viewer may open it) and readable details."""

from collections.abc import Iterable
from typing import Any

from django import template

from vigil.audit.display import EventRow, event_rows

register = template.Library()


@register.simple_tag(takes_context=True)
def audit_rows(context: template.Context, events: Iterable[Any]) -> list[EventRow]:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return event_rows(user, events)
