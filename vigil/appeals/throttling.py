"""Rate limits of the public appeal pages and endpoints (the form's final send, the status
check) and of the partner intake: a fixed window per minute (or second, hour, day) per client
address, counted in Django's cache.

The address is the audit trail's (`vigil.audit.context.client_ip`): REMOTE_ADDR, or with
`VIGIL_TRUSTED_PROXIES` the address the trusted proxies saw; never an X-Forwarded-For entry
the client could write (it could pick a fresh one per request). Rates come from settings, e.g.
`VIGIL_PUBLIC_APPEAL_RATE = "10/min"`: the 11th send in the same minute is refused.

One module for the pages (`hit()`) and for the API (`PublicRateThrottle`, a DRF throttle on
the same counters), so a page and its endpoint share one budget per address.
"""

import time
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from vigil.audit.context import client_ip

_PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60}
_PERIODS |= {"h": 3600, "hour": 3600, "d": 86400, "day": 86400}


class Scope(StrEnum):
    """What is counted, and the setting that gives its rate (with its default)."""

    APPEAL = "public_appeal"
    STATUS = "public_status"
    PARTNER = "intake_partner"

    @property
    def setting(self) -> tuple[str, str]:
        return {
            Scope.APPEAL: ("VIGIL_PUBLIC_APPEAL_RATE", "10/min"),
            Scope.STATUS: ("VIGIL_PUBLIC_STATUS_RATE", "10/min"),
            Scope.PARTNER: ("VIGIL_INTAKE_PARTNER_RATE", "120/min"),
        }[self]


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> "Rate":
        """ "10/min" → 10 per 60 seconds; "5/s", "100/hour", "1000/day" alike."""
        count, _, period = str(text).partition("/")
        try:
            return cls(count=int(count), seconds=_PERIODS[period.strip().lower()])
        except (KeyError, ValueError):
            raise ValueError(f"Not a rate: {text!r} (e.g. '10/min')") from None


def rate_for(scope: Scope) -> Rate:
    name, default = scope.setting
    return Rate.parse(getattr(settings, name, default))


def client_address(request: HttpRequest | Request) -> str:
    return client_ip(request) or "unknown"


def _key(scope: Scope, ident: str, window: int) -> str:
    return f"vigil:throttle:{scope.value}:{ident}:{window}"


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    count: int
    retry_after: int
    """Seconds until the window ends (when a refused client may try again)."""


def hit(scope: Scope, ident: str) -> Verdict:
    """Count one attempt of `ident` (an address) in the current window; refused beyond the
    rate. Refused attempts are counted too (they keep the window closed, not longer)."""
    rate = rate_for(scope)
    now = time.time()
    window = int(now // rate.seconds)
    key = _key(scope, ident, window)
    cache.add(key, 0, timeout=rate.seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: a new window
        cache.set(key, 1, timeout=rate.seconds + 1)
        count = 1
    retry_after = max(1, int((window + 1) * rate.seconds - now))
    return Verdict(allowed=count <= rate.count, count=count, retry_after=retry_after)


def request_hit(scope: Scope, request: HttpRequest | Request) -> Verdict:
    return hit(scope, client_address(request))


class PublicRateThrottle(BaseThrottle):
    """A DRF throttle on the counters above; the view names its `throttle_scope` (a `Scope`).
    Every request to the view counts (so do refused ones)."""

    def __init__(self) -> None:
        self.verdict: Verdict | None = None

    def allow_request(self, request: Request, view: APIView) -> bool:
        scope = Scope(getattr(view, "throttle_scope", Scope.APPEAL))
        self.verdict = request_hit(scope, request)
        return self.verdict.allowed

    def wait(self) -> float | None:
        return float(self.verdict.retry_after) if self.verdict else None
