from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .forms import AuditFilterForm
from .permissions import can_view_audit
from .selectors import access_events_visible_to, audit_events_filter, audit_events_visible_to


@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    if not can_view_audit(request.user):  # type: ignore[arg-type]
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    events = audit_events_visible_to(request.user)  # type: ignore[arg-type]
    if form.is_valid():
        events = audit_events_filter(events, **form.cleaned_data)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/event_list.html",
        {"form": form, "page": page},
    )


@require_safe
def access_list(request: HttpRequest) -> HttpResponse:
    if not can_view_audit(request.user):  # type: ignore[arg-type]
        raise PermissionDenied
    events = access_events_visible_to(request.user)  # type: ignore[arg-type]
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/access_list.html", {"page": page})
