"""The follow-up report of a UN document as a download (PDF or DOCX, ?lang=kk|ru|en, by
default the page's language): whoever may see the document; 404 otherwise, and for an
unknown format or language."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from vigil.accounts.http import user_of
from vigil.audit.context import RequestContext
from vigil.core.documents import DocumentFormat
from vigil.core.files.responses import file_download_response
from vigil.core.files.store import FileContent

from ..documents import REPORT_LANGUAGES, followup_report_export
from ..permissions import documents_visible_to


@require_safe
def followup_report(request: HttpRequest, public_id: str, fmt: str) -> HttpResponse:
    user = user_of(request)
    document = get_object_or_404(documents_visible_to(user), public_id=public_id)
    language = request.GET.get("lang") or (get_language() or "ru")[:2]
    if fmt not in DocumentFormat.__members__.values() or language not in REPORT_LANGUAGES:
        raise Http404
    exported = followup_report_export(
        actor=user,
        document=document,
        fmt=fmt,
        language=language,
        context=RequestContext.from_request(request),
    )
    return file_download_response(
        FileContent(
            data=exported.content,
            filename=exported.filename,
            content_type=exported.content_type,
        )
    )


urlpatterns = [
    path(
        "documents/<uuid:public_id>/report/<str:fmt>/",
        followup_report,
        name="followup_report",
    ),
]
