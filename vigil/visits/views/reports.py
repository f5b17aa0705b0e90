"""Pages for reports (placeholder until the feature lands)."""

from django.http import Http404, HttpRequest, HttpResponse


def report_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    raise Http404
