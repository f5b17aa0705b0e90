"""The export of a document's paragraphs and assessments (the import's format); thin edge over
`importing.exporting`. The import's own pages come from the shared pipeline
(`import_urlpatterns`, mounted in `routes/exchange.py`)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from vigil.audit.context import RequestContext
from vigil.core.importing.writing import FORMATS
from vigil.core.listing import file_response

from .importing.exporting import document_export, export_file_name
from .permissions import documents_visible_to


@require_safe
def document_export_view(request: HttpRequest, public_id: str) -> HttpResponse:
    """?format=csv (the default) or xlsx: what the user sees of the document, as a file."""
    user = request.user if request.user.is_authenticated else None
    document = get_object_or_404(documents_visible_to(user), public_id=public_id)
    fmt = request.GET.get("format", "csv")
    if fmt not in FORMATS:
        raise Http404
    content = document_export(
        actor=user,  # type: ignore[arg-type]  # signed in: documents_visible_to saw it
        document=document,
        fmt=fmt,
        context=RequestContext.from_request(request),
    )
    return file_response(content, fmt, export_file_name(document))
