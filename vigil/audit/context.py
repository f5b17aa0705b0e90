"""Who and where a change comes from, passed explicitly from the edge to services."""

import uuid
from dataclasses import dataclass, field

from django.http import HttpRequest


@dataclass(frozen=True)
class RequestContext:
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    ip: str | None = None

    @classmethod
    def from_request(cls, request: HttpRequest) -> "RequestContext":
        ctx = getattr(request, "audit_context", None)
        return ctx if isinstance(ctx, RequestContext) else cls()


SYSTEM_CONTEXT = RequestContext(request_id="system")
