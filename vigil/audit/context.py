"""Who and where a change comes from, passed explicitly from the edge to services."""

import ipaddress
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import HttpRequest


@dataclass(frozen=True)
class RequestContext:
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    ip: str | None = None

    @classmethod
    def from_request(cls, request: HttpRequest) -> "RequestContext":
        ctx = getattr(request, "audit_context", None)
        return ctx if isinstance(ctx, RequestContext) else cls()


def client_ip(request: Any) -> str | None:
    """The client's address: the one place that decides it (audit trail, throttles, lockout).

    With `VIGIL_TRUSTED_PROXIES = 0` (the default) it is REMOTE_ADDR. With n trusted proxies in
    front it is the n-th address from the right of X-Forwarded-For (each proxy appends the address
    it got the request from, so the ones further left were written by the client and prove
    nothing); when the header is shorter or that entry is not an address, REMOTE_ADDR.
    """
    meta = request.META
    remote = meta.get("REMOTE_ADDR") or None
    proxies = int(getattr(settings, "VIGIL_TRUSTED_PROXIES", 0))
    if proxies <= 0:
        return remote
    hops = [part.strip() for part in str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    if len(hops) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-proxies]))
    except ValueError:
        return remote


SYSTEM_CONTEXT = RequestContext(request_id="system")
