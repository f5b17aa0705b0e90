"""Authentication events from django.contrib.auth, written to the audit trail."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record

from .lockout import login_failed
from .models import User
from .sessions import session_started


def _context(request: HttpRequest | None) -> RequestContext | None:
    return RequestContext.from_request(request) if request is not None else None


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        session_started(request.session)
    audit_record(
        actor=user, action=AuditAction.USER_LOGGED_IN, target=user, context=_context(request)
    )


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        audit_record(
            actor=user, action=AuditAction.USER_LOGGED_OUT, target=user, context=_context(request)
        )


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # The attempted e-mail is kept (never the password) so that guessing shows up.
    attempted = str(credentials.get("username") or credentials.get("email") or "")[:254]
    context = _context(request)
    audit_record(
        actor=None,
        action=AuditAction.USER_LOGIN_FAILED,
        data={"email": attempted},
        context=context,
    )
    # Counted for the lockout (pages and API alike: both sign in through authenticate()).
    login_failed(attempted, context.ip if context else None, context)
