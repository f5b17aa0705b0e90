"""The site's shell: the home page assembled from the blocks each app contributes, and the
health check."""

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django.views.defaults import page_not_found
from rest_framework.exceptions import NotFound

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


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404 (handler404): under the API the API's error body in JSON, as its schema documents
    (an address no route matches, such as a malformed year); elsewhere the site's page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return page_not_found(request, exception)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The page for a form that could not be checked (CSRF_FAILURE_VIEW), in the site's
    layout and the user's language; the reason stays in the log, not on the page."""
    return render(request, "403_csrf.html", status=403)


@login_not_required
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
