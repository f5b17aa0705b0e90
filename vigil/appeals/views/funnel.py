"""The funnel page: appeals by subject and channel, allegations to convictions, art. 146
cases, and officials held accountable, per year, region and agency (filters in the URL; every
figure links to the list behind it)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from vigil.accounts.http import user_of

from ..forms.incidents import FunnelFilterForm
from ..permissions import can_view_funnel, funnel_region_in_scope
from ..selectors.funnel import FunnelFilters, funnel


@require_safe
def funnel_page(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not can_view_funnel(user):
        raise PermissionDenied
    form = FunnelFilterForm(request.GET or None)
    filters = FunnelFilters()
    if form.is_bound and form.is_valid():
        region = form.cleaned_data.get("region")
        if not funnel_region_in_scope(user, region.pk if region else None):
            raise Http404
        filters = FunnelFilters(
            year=form.cleaned_data.get("year"),
            region=form.cleaned_data.get("region"),
            agency=form.cleaned_data.get("agency"),
        )
    result = funnel(user, filters)
    in_court = result.step("cases", "in_court")
    return render(
        request,
        "appeals/funnel.html",
        {"form": form, "funnel": result, "court_share": in_court.share},
    )
