from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from vigil.core.listing import list_response

from .listings import ACCESS_LOG, AUDIT_LOG


@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    return list_response(
        request,
        AUDIT_LOG,
        template="audit/event_list.html",
        results_id="log-results",
        partial="audit/_event_results.html",
    )


@require_safe
def access_list(request: HttpRequest) -> HttpResponse:
    return list_response(
        request,
        ACCESS_LOG,
        template="audit/access_list.html",
        results_id="log-results",
        partial="audit/_access_results.html",
    )
