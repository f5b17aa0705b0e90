"""Pages for visits (placeholder until the feature lands)."""

from django.http import Http404, HttpRequest, HttpResponse


def visit_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    raise Http404
