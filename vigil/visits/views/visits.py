"""Pages for visits: list, annual plan, create and edit, the visit page with its life-cycle
buttons, team and access incidents, and the monitor's own page.

Thin edge: permissions come from `vigil.visits.permissions`, reads from the selectors,
writes from the services.
"""

import datetime
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from vigil.accounts.http import user_of
from vigil.audit.context import RequestContext
from vigil.core.contributions import page_sections
from vigil.core.forms import add_service_errors
from vigil.core.listing import list_response
from vigil.core.submissions import once_per_submission
from vigil.people.models import Participant
from vigil.people.permissions import can_view_own_visits

from .. import workflow
from ..enums import NOT_STARTED_STATES, VisitState
from ..forms.visits import (
    AccessIncidentForm,
    PlanForm,
    TeamForm,
    VisitForm,
    default_start,
)
from ..listings import MY_VISIT_LIST, VISIT_LIST, PlanVisitListing
from ..permissions import (
    can_edit_plan,
    can_hold_visit,
    can_manage_checklist_templates,
    can_manage_visit,
    can_plan_visits,
    can_record_access_incident,
    can_see_visit_details,
    can_view_plans,
    can_view_visit_details,
    can_view_working_material,
    reads_working_material,
)
from ..selectors.visits import (
    MONTHS,
    candidate_regions,
    my_work,
    plan_overview,
    plan_years,
    team_candidates,
    team_search_text,
    visit_for,
    visit_history,
)
from ..services.visits import (
    access_incident_record,
    plan_get_or_create,
    plan_update,
    visit_create,
    visit_team_set,
    visit_transition,
    visit_update,
)
from .tabs import visit_tabs

# ---------------------------------------------------------------- list


@require_safe
def visit_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    return list_response(
        request,
        VISIT_LIST,
        template="visits/visit_list.html",
        results_id="visit-results",
        partial="visits/_visit_table.html",
        context={
            "show_details": can_see_visit_details(user),
            "can_create": can_plan_visits(user),
            "can_view_plans": can_view_plans(user),
            "show_checklist_templates": reads_working_material(user)
            or can_manage_checklist_templates(user),
        },
    )


# ---------------------------------------------------------------- plan


@require_safe
def plan_index(request: HttpRequest) -> HttpResponse:
    if not can_view_plans(user_of(request)):
        raise Http404
    return redirect("visits:plan_detail", year=timezone.localdate().year)


def plan_detail(request: HttpRequest, year: int) -> HttpResponse:
    user = user_of(request)
    if not can_view_plans(user) or not 2000 <= year <= 2100:
        raise Http404
    overview = plan_overview(user, year)
    form = None
    if can_edit_plan(user):
        form = PlanForm(request.POST if request.method == "POST" else None, instance=overview.plan)
        if request.method == "POST" and form.is_valid():
            try:
                plan = overview.plan or plan_get_or_create(
                    actor=user, year=year, context=RequestContext.from_request(request)
                )
                changes = plan_update(
                    actor=user,
                    plan=plan,
                    data=form.cleaned_data,
                    context=RequestContext.from_request(request),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if changes:
                    messages.success(request, _("Plan saved."))
                return redirect("visits:plan_detail", year=year)
    elif request.method == "POST":
        raise PermissionDenied
    return list_response(
        request,
        PlanVisitListing(year),
        template="visits/plan_detail.html",
        results_id="plan-visits",
        partial="visits/_visit_table.html",
        context={
            "show_details": can_see_visit_details(user),
            "overview": overview,
            "form": form,
            "years": plan_years(user),
            "months": MONTHS,
            "month_names": [datetime.date(year, m, 1) for m in MONTHS],
            "can_create": can_plan_visits(user),
        },
    )


# ---------------------------------------------------------------- create and edit


PREFILL_FIELDS = (
    "type",
    "title",
    "objectives",
    "mode",
    "theme",
    "trigger_kind",
    "trigger_reference",
    "trigger_details",
)
"""Fields of the new-visit form a link may prefill (`?type=special&trigger_kind=appeal&...`,
`&institutions=<public id>` repeated): another page offers a visit in one click. Only the
form's first values: nothing is saved until the planner submits it."""


def _prefill(request: HttpRequest) -> dict[str, Any]:
    if request.method != "GET":
        return {}
    initial: dict[str, Any] = {
        name: request.GET[name][:300] for name in PREFILL_FIELDS if request.GET.get(name)
    }
    institutions = []
    for value in request.GET.getlist("institutions"):
        try:
            institutions.append(str(uuid.UUID(value)))
        except ValueError:
            continue
    if institutions:
        initial["institutions"] = institutions
    return initial


def visit_create_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not can_plan_visits(user):
        raise PermissionDenied
    year = request.GET.get("year")
    initial: dict[str, Any] = {
        "planned_start": default_start(int(year) if year and year.isdigit() else None),
        **_prefill(request),
    }
    form = VisitForm(request.POST if request.method == "POST" else None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            visit = visit_create(
                actor=user, data=form.service_data(), context=RequestContext.from_request(request)
            )
        except PermissionDenied as exc:
            form.add_error("institutions", str(exc) or _("You may not plan this visit."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Visit %(reference)s created as a draft. Name its team next.")
                % {"reference": visit.reference},
            )
            return redirect("visits:visit_team", public_id=visit.public_id)
    return render(request, "visits/visit_form.html", {"form": form, "creating": True})


def visit_edit_view(request: HttpRequest, public_id: str) -> HttpResponse:
    user = user_of(request)
    visit = visit_for(user, public_id)
    if not can_manage_visit(user, visit):
        raise PermissionDenied
    if visit.state not in NOT_STARTED_STATES:
        messages.info(request, _("A visit can be changed only before it starts."))
        return redirect("visits:visit_detail", public_id=visit.public_id)
    form = VisitForm(
        request.POST if request.method == "POST" else None,
        user=user,
        visit=visit,
        initial=VisitForm.initial_for(visit),
    )
    if request.method == "POST" and form.is_valid():
        try:
            changes = visit_update(
                actor=user,
                visit=visit,
                data=form.service_data(),
                context=RequestContext.from_request(request),
            )
        except PermissionDenied as exc:
            form.add_error("institutions", str(exc) or _("You may not plan this visit."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if changes:
                messages.success(request, _("Changes saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("visits:visit_detail", public_id=visit.public_id)
    return render(request, "visits/visit_form.html", {"form": form, "visit": visit})


# ---------------------------------------------------------------- the visit page


def _detail_context(request: HttpRequest, visit: Any, **extra: Any) -> dict[str, Any]:
    user = user_of(request)
    details = can_view_visit_details(user, visit)
    manage = can_manage_visit(user, visit)
    moves = workflow.available(user, visit)
    readiness: dict[str, list[str]] = {}
    if manage and visit.state in (VisitState.DRAFT, VisitState.POSTPONED):
        readiness = workflow.readiness_errors(visit)
    working = can_view_working_material(user, visit)
    started = visit.state not in NOT_STARTED_STATES and visit.state != VisitState.CANCELLED
    incident_form = extra.pop("incident_form", None)
    if incident_form is None and started and can_record_access_incident(user, visit):
        incident_form = AccessIncidentForm(visit=visit)
    # What other apps show on the visit's page (its recommendations), within their policies.
    sections, section_templates = page_sections("visits.visit", user, visit)
    context = {
        **sections,
        "section_templates": section_templates,
        "visit": visit,
        "tabs": visit_tabs(user, visit, "visit_detail"),
        "show_details": details,
        "moves": moves,
        "readiness": [m for msgs in readiness.values() for m in msgs],
        "can_edit": manage and visit.state in NOT_STARTED_STATES,
        "history": list(visit_history(visit)) if details else None,
        "incidents": list(visit.access_incidents.select_related("institution", "recorded_by"))
        if working
        else None,
        "incident_form": incident_form,
        "can_hold": can_hold_visit(user, visit),
    }
    context.update(extra)
    return context


@require_safe
def visit_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    visit = visit_for(user_of(request), public_id)
    return render(request, "visits/visit_detail.html", _detail_context(request, visit))


@require_POST
def visit_transition_view(request: HttpRequest, public_id: str) -> HttpResponse:
    user = user_of(request)
    visit = visit_for(user, public_id)
    to_state = request.POST.get("to_state", "")
    note = request.POST.get("note", "")
    try:
        visit = visit_transition(
            actor=user,
            visit=visit,
            to_state=to_state,
            note=note,
            context=RequestContext.from_request(request),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The visit is now “%(state)s”.") % {"state": visit.get_state_display()},
        )
    return redirect("visits:visit_detail", public_id=visit.public_id)


def visit_team_view(request: HttpRequest, public_id: str) -> HttpResponse:
    user = user_of(request)
    visit = visit_for(user, public_id)
    if not can_manage_visit(user, visit):
        raise PermissionDenied
    if visit.state not in NOT_STARTED_STATES:
        messages.info(request, _("The team can be changed only before the visit starts."))
        return redirect("visits:visit_detail", public_id=visit.public_id)
    candidates = team_candidates(visit)
    queryset = Participant.objects.filter(pk__in=[c.participant.pk for c in candidates])
    current = [c for c in candidates if c.on_team]
    initial = {
        "members": [str(c.participant.public_id) for c in current],
        "lead": next((str(c.participant.public_id) for c in current if c.is_lead), None),
    }
    form = TeamForm(
        request.POST if request.method == "POST" else None,
        candidates=queryset,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            visit_team_set(
                actor=user,
                visit=visit,
                members=list(form.cleaned_data["members"]),
                lead=form.cleaned_data["lead"],
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Team saved."))
            return redirect("visits:visit_detail", public_id=visit.public_id)
    chosen = {str(v) for v in (form["members"].value() or [])}
    lead = str(form["lead"].value() or "")
    rows = [
        {
            "candidate": c,
            "id": str(c.participant.public_id),
            "checked": str(c.participant.public_id) in chosen,
            "lead": str(c.participant.public_id) == lead,
            "search": team_search_text(c.participant),
        }
        for c in candidates
    ]
    context = {
        "visit": visit,
        "form": form,
        "rows": rows,
        "regions": candidate_regions(candidates),
        "min_team": workflow.MIN_TEAM,
    }
    return render(request, "visits/visit_team.html", context)


@require_POST
@once_per_submission
def access_incident_create(request: HttpRequest, public_id: str) -> HttpResponse:
    user = user_of(request)
    visit = visit_for(user, public_id)
    if not can_record_access_incident(user, visit):
        raise PermissionDenied
    form = AccessIncidentForm(request.POST, visit=visit)
    if form.is_valid():
        try:
            access_incident_record(
                actor=user,
                visit=visit,
                data=form.cleaned_data,
                context=RequestContext.from_request(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Access incident recorded."))
            return redirect(reverse("visits:visit_detail", args=[visit.public_id]) + "#incidents")
    return render(
        request,
        "visits/visit_detail.html",
        _detail_context(request, visit, incident_form=form),
        status=400,
    )


# ---------------------------------------------------------------- monitor's page


@require_safe
def my_visits(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not can_view_own_visits(user):
        raise Http404
    return list_response(
        request,
        MY_VISIT_LIST,
        template="visits/mine.html",
        results_id="my-visits",
        partial="visits/_visit_table.html",
        context={
            "work": my_work(user),
            "show_details": can_see_visit_details(user),
        },
    )
