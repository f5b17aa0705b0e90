"""The site's shell: the home page assembled from the blocks each app contributes, and the
health check."""

import sys
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import InterfaceError, OperationalError, connection, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.http import require_safe

from vigil.core.contributions import home_blocks


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands on what it must do next (UX.md, "Home by role")."""
    context: dict[str, Any] = {}
    templates: list[str] = []
    for block in home_blocks():
        block_context: Mapping[str, Any] | None = block.context(request.user)
        if block_context is not None:
            context.update(block_context)
            templates.append(block.template)
    context["home_templates"] = templates
    return render(request, "site/home.html", context)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The page for a form that could not be checked (CSRF_FAILURE_VIEW), in the site's
    layout and the user's language; the reason stays in the log, not on the page."""
    return render(request, "403_csrf.html", status=403)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: the site's page, or the API's error shape under /api/; never the URL list
    nor the exception's text."""
    if _is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether `exc` (or an error it was raised from) says the database could not be reached
    or dropped the connection: a restart, a refused connection, a server shutting down, a
    locked SQLite file; Django's wrapped errors and the driver's own (a server-side cursor
    closed after the server went away raises psycopg's). Such a failure passes; the request
    can be tried again."""
    kinds: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)
    for database in connections.all(initialized_only=True):  # the driver's own, unwrapped
        driver: Any = database.Database  # type: ignore[attr-defined]
        kinds += (driver.OperationalError, driver.InterfaceError)
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, kinds):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: a plain translated page (503.html, rendered without the request
    and without the database), or the API's error shape under /api/."""
    if _is_api(request):
        response: HttpResponse = JsonResponse(
            {"detail": _("The service is briefly unavailable. Try again in a moment.")},
            status=503,
        )
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(settings.VIGIL_RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a plain translated page (500.html, rendered without the request), or the
    API's error shape under /api/; the details stay in the log. When the database could not
    be reached (the error being handled is a connection failure), 503 with Retry-After
    instead (`service_unavailable`): the request failed cleanly and can be sent again."""
    if database_unavailable(sys.exception()):
        return service_unavailable(request)
    if _is_api(request):
        return JsonResponse({"detail": _("A server error occurred.")}, status=500)
    return defaults.server_error(request)


@login_not_required
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
