"""Pages for attachments (placeholder until the feature lands)."""

from django.http import Http404, HttpRequest, HttpResponse


def attachment_list(request: HttpRequest, public_id: str) -> HttpResponse:
    raise Http404
