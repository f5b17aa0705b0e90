"""The systemic-issues page: themes raised at many institutions and issues raised in
consecutive years, each with its implementation record; every figure links to its list; the
page is paged and exports as CSV or XLSX (`..listings.systemic`)."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from vigil.core.listing import list_response
from vigil.reference.models import Agency

from ..listings.systemic import SYSTEMIC_LIST, systemic_params
from ..listings.tallies import FIGURE_FILTERS


@require_safe
def systemic_issues(request: HttpRequest) -> HttpResponse:
    chosen = systemic_params(request.GET)
    agencies = Agency.objects.filter(parent__isnull=True) | Agency.objects.filter(
        children__isnull=False
    )
    return list_response(
        request,
        SYSTEMIC_LIST,
        template="recommendations/systemic.html",
        results_id="systemic-results",
        partial="recommendations/systemic.html",
        context={
            "agency": chosen.agency,
            "year": chosen.year,
            "minimum": chosen.minimum,
            "agencies": agencies.distinct().order_by("code"),
            "figure_names": list(FIGURE_FILTERS),
        },
    )
