"""Sessions that end: after `VIGIL_SESSION_IDLE_SECONDS` without a request (a laptop left
open in a corridor), and at the latest `VIGIL_SESSION_MAX_SECONDS` after sign-in (also the
cookie's age). The times live in the session itself, so every process agrees. Token requests
to the API carry no session and are not concerned."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

SIGNED_IN = "vigil.signed_in_at"
LAST_SEEN = "vigil.last_seen"
SEEN_EVERY = 60
"""Seconds between two writes of the last request's time (not every request writes the session)."""


def session_started(session: SessionBase) -> None:
    """Stamp a new signed-in session (on every sign-in)."""
    now = int(time.time())
    session[SIGNED_IN] = now
    session[LAST_SEEN] = now


def session_expiry(session: SessionBase) -> str | None:
    """Why the session has ended (a message), or None while it lasts."""
    now = int(time.time())
    signed_in = session.get(SIGNED_IN)
    if signed_in is None:
        return None
    if now - signed_in > settings.VIGIL_SESSION_MAX_SECONDS:
        return _("Your session has reached its longest allowed time. Please sign in again.")
    if now - session.get(LAST_SEEN, signed_in) > settings.VIGIL_SESSION_IDLE_SECONDS:
        return _("Your session ended after a period without activity. Please sign in again.")
    return None


class SessionTimeoutMiddleware:
    """Signs out a session past its idle or absolute limit, before any view runs (pages then
    send the visitor to the sign-in page with the reason; the API answers as to anyone
    signed out)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session = request.session
            if SIGNED_IN not in session:
                session_started(session)  # a session from before the limits
            elif (reason := session_expiry(session)) is not None:
                logout(request)
                messages.info(request, reason)
            elif int(time.time()) - session.get(LAST_SEEN, 0) >= SEEN_EVERY:
                session[LAST_SEEN] = int(time.time())
        return self.get_response(request)
