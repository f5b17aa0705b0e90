"""Logged before revealed: the one way sealed or encrypted data is read for a person.

`reveal_logged()` checks the caller's permission, writes the AccessEvent in its own write
(committed at once when no outer transaction is open, a savepoint inside one), and only then
calls the function that decrypts. When the event cannot be written, nothing is decrypted and
`AccessNotRecorded` is raised: pages answer it with a plain 503 page
(`FailClosedMiddleware`), the API with a 503 in its error shape, never with the content or a
technical error page. A refused attempt (the permission says no) is logged with the outcome
"denied" before `PermissionDenied` is raised.

`visible_or_404()` is the fetch of a sensitive record (an interview, an appeal, a file, a
visit under embargo) for pages and the API: 404 alike for a missing and a forbidden record,
and, for one that exists but is not the caller's to see, a denied access event for the
auditors (the answer stays a 404).
"""

from collections.abc import Callable
from typing import Any, cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from vigil.audit.context import RequestContext
from vigil.audit.enums import AccessKind, AccessOutcome
from vigil.audit.services import access_record


class AccessNotRecorded(Exception):
    """The read could not be logged, so nothing was read (fail closed)."""


def _record(
    *,
    actor: AbstractBaseUser,
    kind: AccessKind,
    target: models.Model | None,
    reason: str,
    data: dict[str, Any] | None,
    context: RequestContext | None,
    outcome: AccessOutcome,
) -> None:
    try:
        with transaction.atomic():
            access_record(
                actor=cast(Any, actor),  # vigil.audit types its actor as the project's User
                kind=kind,
                target=target,
                reason=reason,
                data=data,
                context=context,
                outcome=outcome,
            )
    except Exception as exc:  # a failed write of any kind: nothing is revealed
        raise AccessNotRecorded(type(exc).__name__) from None


def reveal_logged[T](
    reveal: Callable[[], T],
    *,
    actor: AbstractBaseUser,
    kind: AccessKind,
    target: models.Model | None,
    allowed: bool = True,
    reason: str = "",
    data: dict[str, Any] | None = None,
    context: RequestContext | None = None,
) -> T:
    """`reveal()` (the decryption), after its access event is written; a refusal
    (`allowed` false) is logged as denied and raises `PermissionDenied`."""
    if not allowed:
        denied_record(actor=actor, kind=kind, target=target, data=data, context=context)
        raise PermissionDenied
    _record(
        actor=actor,
        kind=kind,
        target=target,
        reason=reason,
        data=data,
        context=context,
        outcome=AccessOutcome.GRANTED,
    )
    return reveal()


def denied_record(
    *,
    actor: AbstractBaseUser,
    kind: AccessKind,
    target: models.Model | None,
    data: dict[str, Any] | None = None,
    context: RequestContext | None = None,
) -> None:
    """A refused attempt on `target` (the caller's answer stays what it was, e.g. a 403),
    logged as denied for the auditors; `AccessNotRecorded` when it cannot be."""
    _record(
        actor=actor,
        kind=kind,
        target=target,
        reason="",
        data=data,
        context=context,
        outcome=AccessOutcome.DENIED,
    )


def denied_opening_record(
    model: type[models.Model],
    *,
    actor: AbstractBaseUser | None,
    context: RequestContext | None = None,
    **lookup: Any,
) -> None:
    """After a 404 on a sensitive record: when it exists (the caller may not see it), a
    denied access event for the auditors. The answer stays the 404."""
    if actor is None or not actor.is_authenticated:
        return
    hidden = cast(Any, model)._base_manager.filter(**lookup).first()
    if hidden is not None:
        _record(
            actor=actor,
            kind=AccessKind.RECORD_OPENED,
            target=hidden,
            reason="",
            data=None,
            context=context,
            outcome=AccessOutcome.DENIED,
        )


def visible_or_404[M: models.Model](
    visible: "models.QuerySet[M]",
    *,
    actor: AbstractBaseUser | None,
    context: RequestContext | None = None,
    **lookup: Any,
) -> M:
    """The record among `visible` (the caller's policy); 404 for a missing or forbidden one,
    the forbidden one logged as a denied opening."""
    found = visible.filter(**lookup).first()
    if found is None:
        denied_opening_record(visible.model, actor=actor, context=context, **lookup)
        raise Http404
    return found


def not_recorded_response(request: HttpRequest) -> HttpResponse:
    """The page shown instead of what could not be logged: no content, no details."""
    return render(request, "core/access_not_recorded.html", status=503)


class FailClosedMiddleware:
    """Answers `AccessNotRecorded` from any page with the plain 503 page, before Django's
    error handling (so not even a development error page shows what the view held)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, AccessNotRecorded):
            return not_recorded_response(request)
        return None
