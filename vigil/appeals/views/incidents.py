"""Incident pages: the list (recorded incidents and the visits' access incidents), the
incident page, recording (anywhere in scope, from a visit, from an appeal) and correcting.

Thin edge: the policy is `..permissions`, reads `..selectors.incidents`, writes
`..services.incidents`. What is missing or not visible answers 404.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from vigil.accounts.http import user_of
from vigil.audit.context import RequestContext
from vigil.core.forms import add_service_errors
from vigil.core.listing import list_response
from vigil.visits.permissions import visits_visible_to

from ..forms.incidents import IncidentForm
from ..listings.incidents import INCIDENT_LIST
from ..models import Appeal, Incident
from ..permissions import (
    appeals_visible_to,
    can_edit_incident,
    can_read_incident_summary,
    can_record_incident,
    can_record_incident_for_appeal,
    can_view_incidents,
)
from ..selectors.incidents import get_incident, incident_history
from ..services.incidents import incident_record, incident_summary_read, incident_update


@require_safe
def incident_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    return list_response(
        request,
        INCIDENT_LIST,
        template="appeals/incidents/list.html",
        partial="appeals/incidents/_table.html",
        results_id="incident-results",
        context={"can_record": can_record_incident(user)},
    )


def _detail_page(request: HttpRequest, public_id: str, *, reveal: bool) -> HttpResponse:
    user = user_of(request)
    if not can_view_incidents(user):
        raise PermissionDenied
    incident = get_incident(user, public_id)
    summary = None
    if reveal:
        summary = incident_summary_read(
            actor=user, incident=incident, context=RequestContext.from_request(request)
        )
    return render(
        request,
        "appeals/incidents/detail.html",
        {
            "incident": incident,
            "can_edit": can_edit_incident(user, incident),
            "can_read_summary": can_read_incident_summary(user, incident),
            "summary": summary,
            "history": incident_history(incident),
        },
    )


@never_cache
@require_safe
def incident_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    return _detail_page(request, public_id, reveal=False)


@never_cache
@require_POST
def incident_summary(request: HttpRequest, public_id: str) -> HttpResponse:
    """Show what happened: the POST is the explicit request to read it, which is logged."""
    return _detail_page(request, public_id, reveal=True)


def _form_page(
    request: HttpRequest,
    form: IncidentForm,
    *,
    cancel_url: str,
    incident: Incident | None = None,
    heading: str,
) -> HttpResponse:
    return render(
        request,
        "appeals/incidents/form.html",
        {"form": form, "incident": incident, "cancel_url": cancel_url, "heading": heading},
    )


def _record(
    request: HttpRequest, *, visit: Any = None, appeal: Appeal | None = None, cancel_url: str
) -> HttpResponse:
    user = user_of(request)
    initial: dict[str, Any] = {}
    kind = request.GET.get("kind")
    if kind:
        initial["kind"] = kind
    form = IncidentForm(
        request.POST if request.method == "POST" else None,
        user=user,
        visit=visit,
        appeal=appeal,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            incident = incident_record(
                actor=user, data=form.service_data(), context=RequestContext.from_request(request)
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You may not record this incident."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Incident %(reference)s recorded.") % {"reference": incident.reference}
            )
            return redirect("appeals:incident_detail", public_id=incident.public_id)
    return _form_page(request, form, cancel_url=cancel_url, heading=_("Record an incident"))


def incident_create(request: HttpRequest) -> HttpResponse:
    if not can_record_incident(user_of(request)):
        raise PermissionDenied
    return _record(request, cancel_url=reverse("appeals:incident_list"))


def incident_create_for_visit(request: HttpRequest, visit_id: str) -> HttpResponse:
    user = user_of(request)
    visit = get_object_or_404(visits_visible_to(user), public_id=visit_id)
    if not can_record_incident(user, visit):
        raise PermissionDenied
    return _record(
        request, visit=visit, cancel_url=reverse("visits:visit_detail", args=[visit.public_id])
    )


def incident_create_for_appeal(request: HttpRequest, appeal_id: str) -> HttpResponse:
    user = user_of(request)
    appeal = get_object_or_404(appeals_visible_to(user), public_id=appeal_id)
    if not can_record_incident_for_appeal(user, appeal):
        raise PermissionDenied
    return _record(request, appeal=appeal, cancel_url=reverse("appeals:incident_list"))


def incident_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    user = user_of(request)
    if not can_view_incidents(user):
        raise PermissionDenied
    incident = get_incident(user, public_id)
    if not can_edit_incident(user, incident):
        raise PermissionDenied
    form = IncidentForm(
        request.POST if request.method == "POST" else None,
        user=user,
        visit=incident.visit,
        appeal=incident.appeal,
        editing=True,
        initial=IncidentForm.initial_for(incident),
    )
    if request.method == "POST" and form.is_valid():
        try:
            incident_update(
                actor=user,
                incident=incident,
                data=form.service_data(),
                context=RequestContext.from_request(request),
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You may not change this incident."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Incident saved."))
            return redirect("appeals:incident_detail", public_id=incident.public_id)
    return _form_page(
        request,
        form,
        cancel_url=reverse("appeals:incident_detail", args=[incident.public_id]),
        incident=incident,
        heading=_("Edit incident %(reference)s") % {"reference": incident.reference},
    )
