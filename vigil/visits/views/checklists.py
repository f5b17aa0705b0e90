"""Pages for checklists (placeholder until the feature lands)."""

from django.http import Http404, HttpRequest, HttpResponse


def checklist_overview(request: HttpRequest, public_id: str) -> HttpResponse:
    raise Http404
