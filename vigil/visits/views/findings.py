"""Pages for findings (placeholder until the feature lands)."""

from django.http import Http404, HttpRequest, HttpResponse


def finding_list(request: HttpRequest, public_id: str) -> HttpResponse:
    raise Http404


def note_list(request: HttpRequest, public_id: str) -> HttpResponse:
    raise Http404
