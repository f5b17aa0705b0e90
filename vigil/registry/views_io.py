"""Registry exports (the import pages are the shared ones of `vigil.core.importing`)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from vigil.accounts.http import user_of
from vigil.audit.context import RequestContext

from .exporting import FORMATS, institutions_export
from .filters import institution_listing
from .models import Institution
from .permissions import can_view_registry


def _attachment(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------


def _listed_institutions(request: HttpRequest) -> tuple[QuerySet[Institution], dict[str, Any]]:
    """Exactly what `views.institution_list` shows this user for these filters, unpaginated."""
    if not can_view_registry(user_of(request)):
        raise PermissionDenied
    filterset = institution_listing(user_of(request), request.GET)
    qs = filterset.qs
    filters: dict[str, Any] = {}
    for name in filterset.filters:
        values = [v for v in request.GET.getlist(name) if v]
        if values:
            filters[name] = values[0] if len(values) == 1 else values
    return qs, filters


@require_safe
def institution_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    qs, filters = _listed_institutions(request)
    content = institutions_export(
        actor=user_of(request),
        queryset=qs,
        fmt=fmt,
        filters=filters,
        context=RequestContext.from_request(request),
    )
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    return _attachment(content, fmt, f"institutions-{stamp}")
