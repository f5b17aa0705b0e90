"""The one download response for stored files, pages and API alike."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from .store import FileContent


def file_download_response(content: FileContent) -> HttpResponse:
    """A file as a download that no browser renders, sniffs or caches."""
    response = HttpResponse(content.data, content_type=content.content_type)
    response["Content-Disposition"] = content_disposition_header(True, content.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
