"""Pages for interviews (placeholder until the feature lands)."""

from django.http import Http404, HttpRequest, HttpResponse


def interview_list(request: HttpRequest, public_id: str) -> HttpResponse:
    raise Http404
