"""Sign-in lockout for every login route (the page and the API token endpoint).

Failed sign-ins are rows in the database (`LoginFailure`), so every process and every machine
counts together. An account with `VIGIL_LOGIN_FAILURE_LIMIT` failures within
`VIGIL_LOGIN_FAILURE_WINDOW` seconds, or a client address with
`VIGIL_LOGIN_ADDRESS_FAILURE_LIMIT` (whatever the accounts), is refused until
`VIGIL_LOGIN_LOCKOUT` seconds after the last of them, before any password is checked. Refused
attempts are not counted. The lockout writes one audit row when it starts; a success clears
the account's failures. Rows older than the window and the lockout are pruned on each write.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext

from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record

from .models import LoginFailure, User

_HASH_SALT = "vigil.accounts.lockout"


class LockScope(StrEnum):
    ACCOUNT = "account"
    ADDRESS = "address"


@dataclass(frozen=True)
class Lockout:
    scope: LockScope
    until: datetime

    @property
    def retry_after(self) -> int:
        """Whole seconds until the lockout ends (at least 1)."""
        return max(1, math.ceil((self.until - timezone.now()).total_seconds()))

    @property
    def message(self) -> str:
        minutes = math.ceil(self.retry_after / 60)
        if self.scope == LockScope.ACCOUNT:
            text = ngettext(
                "Too many failed sign-ins for this account. Try again in %(n)d minute.",
                "Too many failed sign-ins for this account. Try again in %(n)d minutes.",
                minutes,
            )
        else:
            text = ngettext(
                "Too many failed sign-ins from your address. Try again in %(n)d minute.",
                "Too many failed sign-ins from your address. Try again in %(n)d minutes.",
                minutes,
            )
        return text % {"n": minutes}


def account_key(email: str) -> str:
    """A keyed hash (HMAC-SHA256 with SECRET_KEY) of the normalised e-mail."""
    normalised = (email or "").strip().lower()
    return salted_hmac(_HASH_SALT, normalised, algorithm="sha256").hexdigest()


def _window() -> timedelta:
    return timedelta(seconds=settings.VIGIL_LOGIN_FAILURE_WINDOW)


def _lockout() -> timedelta:
    return timedelta(seconds=settings.VIGIL_LOGIN_LOCKOUT)


def _locked_until(failures: "list[datetime]", limit: int, now: datetime) -> datetime | None:
    """`failures`: the latest `limit` failure times, newest first."""
    if limit <= 0 or len(failures) < limit:
        return None
    newest, oldest = failures[0], failures[limit - 1]
    until = newest + _lockout()
    if newest - oldest <= _window() and until > now:
        return until
    return None


def _latest(limit: int, **filters: object) -> list[datetime]:
    return list(
        LoginFailure.objects.filter(**filters)
        .order_by("-at")
        .values_list("at", flat=True)[: max(limit, 0)]
    )


def login_refused(email: str, ip: str | None) -> Lockout | None:
    """The lockout that refuses this sign-in now, if any (account first, then address)."""
    now = timezone.now()
    limit = settings.VIGIL_LOGIN_FAILURE_LIMIT
    until = _locked_until(_latest(limit, account_key=account_key(email)), limit, now)
    if until is not None:
        return Lockout(LockScope.ACCOUNT, until)
    if ip:
        limit = settings.VIGIL_LOGIN_ADDRESS_FAILURE_LIMIT
        until = _locked_until(_latest(limit, ip=ip), limit, now)
        if until is not None:
            return Lockout(LockScope.ADDRESS, until)
    return None


@transaction.atomic
def login_failed(email: str, ip: str | None, context: RequestContext | None = None) -> None:
    """Count a failed sign-in; when it starts a lockout, audit that once."""
    now = timezone.now()
    LoginFailure.objects.filter(at__lt=now - _window() - _lockout()).delete()
    already = login_refused(email, ip)
    LoginFailure.objects.create(account_key=account_key(email), ip=ip, at=now)
    lockout = login_refused(email, ip)
    if lockout is None or already is not None:
        return
    attempted = (email or "").strip()[:254]
    audit_record(
        actor=None,
        action=AuditAction.USER_LOGIN_LOCKED,
        target=User.objects.filter(email__iexact=attempted).first() if attempted else None,
        data={
            "email": attempted,
            "scope": lockout.scope.value,
            "until": lockout.until.isoformat(),
        },
        context=context,
    )


def login_succeeded(email: str) -> None:
    """A successful sign-in clears the account's failures (not the address's)."""
    LoginFailure.objects.filter(account_key=account_key(email)).delete()
