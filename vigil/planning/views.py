"""Planning pages: the risk factors (weights, editable by coordinators), the coverage rules
with what they require this year (added, changed and ended by coordinators), and the year's
plan proposal."""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from vigil.accounts.http import user_of
from vigil.audit.context import RequestContext
from vigil.core.forms import add_service_errors

from . import proposals
from .coverage import coverage_due, rules_met
from .enums import PinKind, ProposalState
from .forms import CoverageRuleForm, ProposalParametersForm, ProposalPinForm, RiskFactorsForm
from .models import CoverageRule, PlanProposal
from .permissions import can_manage_planning, can_view_planning, risk_institutions_visible_to
from .risk import planned_institutions
from .selectors import coverage_rules, risk_factors
from .services import coverage_rule_create, coverage_rule_update, risk_factors_update


def risk_factor_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not can_view_planning(user):
        raise Http404
    factors = risk_factors(user)
    form = None
    if can_manage_planning(user):
        form = RiskFactorsForm(request.POST if request.method == "POST" else None, factors=factors)
        if request.method == "POST" and form.is_valid():
            try:
                changed = risk_factors_update(
                    actor=user, changes=form.changes(), context=RequestContext.from_request(request)
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if changed:
                    messages.success(request, _("Risk factors saved."))
                return redirect("planning:risk_factors")
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "planning/risk_factors.html",
        {
            "factors": factors,
            "form": form,
            "total_weight": sum(f.weight for f in factors),
        },
    )


def coverage_rule_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not can_view_planning(user):
        raise Http404
    if request.method != "GET":
        raise PermissionDenied
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise Http404
    visible = planned_institutions().filter(pk__in=risk_institutions_visible_to(user).values("pk"))
    due = {d.rule.pk: len(d.required) for d in coverage_due(year, visible)}
    rules = coverage_rules(user)
    return render(
        request,
        "planning/coverage_rules.html",
        {
            "rules": [(rule, rule.in_force_during(year), due.get(rule.pk)) for rule in rules],
            "year": year,
            "years": [year - 1, year, year + 1],
            "manager": can_manage_planning(user),
        },
    )


def coverage_rule_create_view(request: HttpRequest) -> HttpResponse:
    """Add a coverage rule (coordinators, administrators)."""
    user = user_of(request)
    if not can_view_planning(user):
        raise Http404
    if not can_manage_planning(user):
        raise PermissionDenied
    form = CoverageRuleForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            coverage_rule_create(
                actor=user, context=RequestContext.from_request(request), **form.service_data()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Coverage rule added."))
            return redirect("planning:coverage_rules")
    return render(
        request,
        "planning/coverage_rule_form.html",
        {"form": form, "title": _("New coverage rule")},
    )


def coverage_rule_edit_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Change a coverage rule, or end it (its last day of validity): rules are never
    deleted, so past plans keep the rules they had."""
    user = user_of(request)
    if not can_view_planning(user):
        raise Http404
    rule = get_object_or_404(CoverageRule, public_id=public_id)
    if not can_manage_planning(user):
        raise PermissionDenied
    form = CoverageRuleForm(request.POST if request.method == "POST" else None, rule=rule)
    if request.method == "POST" and form.is_valid():
        try:
            changes = coverage_rule_update(
                actor=user,
                rule=rule,
                context=RequestContext.from_request(request),
                **form.service_data(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if changes:
                messages.success(request, _("Changes saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("planning:coverage_rules")
    return render(
        request,
        "planning/coverage_rule_form.html",
        {"form": form, "rule": rule, "title": _("Edit %(name)s") % {"name": rule.name}},
    )


def _reason_text(reason: str) -> str:
    return {
        "budget": _("More institutions must be visited than the visits the budget allows."),
        "no_team": _(
            "No eligible team could visit these institutions, even alone (no participant "
            "available, within reach and without a conflict of interest, or no doctor or "
            "psychologist where one is needed)."
        ),
        "together": _(
            "These institutions cannot all be staffed together: the participants' capacity, "
            "availability or the monthly limit do not allow it."
        ),
        "invalid": _("The pins contradict each other (an institution pinned in and excluded)."),
    }.get(reason, _("The optimiser found no plan within its time limit."))


def proposal_page(request: HttpRequest, year: int) -> HttpResponse:
    """The year's plan proposal: its visits by month with their teams and why each is in
    it, the coverage rules met or missing, the solver's status; coordinators compute it,
    pin and exclude institutions, propose, approve and create the planned visits."""
    user = user_of(request)
    if not can_view_planning(user) or not 2000 <= year <= 2100:
        raise Http404
    manager = can_manage_planning(user)
    if request.method == "POST" and not manager:
        raise PermissionDenied
    proposal = PlanProposal.objects.filter(year=year).first()
    visible = planned_institutions().filter(pk__in=risk_institutions_visible_to(user).values("pk"))
    pin_form = ProposalPinForm(
        request.POST if request.POST.get("action") == "pin" else None,
        institutions=visible,
    )
    initial = {**proposals.DEFAULT_PARAMETERS, **(proposal.parameters if proposal else {})}
    params_form = ProposalParametersForm(
        request.POST if request.POST.get("action") == "solve" else None, initial=initial
    )
    if request.method == "POST":
        context = RequestContext.from_request(request)
        action = request.POST.get("action")
        try:
            if action == "solve" and params_form.is_valid():
                proposals.proposal_solve(
                    actor=user, year=year, parameters=params_form.cleaned_data, context=context
                )
                messages.success(request, _("The proposal was computed."))
                return redirect("planning:proposal", year=year)
            if action == "pin" and proposal is not None and pin_form.is_valid():
                data = pin_form.cleaned_data
                proposals.proposal_pin_set(
                    actor=user,
                    proposal=proposal,
                    institution=data["institution"],
                    kind=data["kind"],
                    month=data["month"] if data["kind"] == PinKind.PINNED else None,
                    reason=data["reason"],
                    context=context,
                )
                messages.success(request, _("Pin saved; compute the proposal again to apply it."))
                return redirect("planning:proposal", year=year)
            if action == "move" and proposal is not None:
                proposals.proposal_move(
                    actor=user,
                    proposal=proposal,
                    to_state=request.POST.get("to_state", ""),
                    context=context,
                )
                return redirect("planning:proposal", year=year)
            if action == "create_visits" and proposal is not None:
                created = proposals.proposal_visits_create(
                    actor=user, proposal=proposal, context=context
                )
                messages.success(
                    request,
                    _("%(n)d planned visits created in the annual plan.") % {"n": len(created)},
                )
                return redirect("planning:proposal", year=year)
            if action not in ("solve", "pin"):
                raise Http404
        except ValidationError as exc:
            if action in ("move", "create_visits"):
                for message in exc.messages:
                    messages.error(request, message)
                return redirect("planning:proposal", year=year)
            add_service_errors(pin_form if action == "pin" else params_form, exc)
    return render(
        request,
        "planning/proposal.html",
        _proposal_context(user, year, proposal, visible, manager, pin_form, params_form),
    )


MISSING_SHOWN = 20  # institutions named per rule not met; the rest counted


def _shown(check: Any, by_institution: dict[int, Any]) -> tuple[Any, list[Any], int]:
    """A rule's check with the first missing institutions the reader sees, and how many more."""
    missing = [by_institution[pk] for pk in sorted(check.missing) if pk in by_institution]
    return check, missing[:MISSING_SHOWN], max(0, len(missing) - MISSING_SHOWN)


def _proposal_context(
    user: Any,
    year: int,
    proposal: PlanProposal | None,
    visible: Any,
    manager: bool,
    pin_form: ProposalPinForm,
    params_form: ProposalParametersForm,
) -> dict[str, Any]:
    context: dict[str, Any] = {
        "year": year,
        "proposal": proposal,
        "manager": manager,
        "pin_form": pin_form,
        "params_form": params_form,
    }
    if proposal is None:
        return context
    visible_ids = set(visible.values_list("pk", flat=True))
    rows = [
        v
        for v in proposal.visits.select_related("institution__region").prefetch_related(
            "team__user"
        )
        if v.institution_id in visible_ids
    ]
    pins = proposals.pins_by_institution(proposal)
    checks = rules_met(year, [v.institution_id for v in proposal.visits.all()])
    by_institution = {
        i.pk: i
        for i in visible.filter(
            pk__in=[
                *pins,
                *(pk for c in checks for pk in c.missing),
                *proposal.infeasibility.get("institutions", []),
            ]
        )
    }
    required_by: dict[int, list[str]] = {}
    for check in checks:
        for pk in check.required:
            required_by.setdefault(pk, []).append(str(check.rule.name))
    months = []
    for month in range(1, 13):
        in_month = [
            {
                "row": row,
                "pin": pins.get(row.institution_id),
                "rules": required_by.get(row.institution_id, []),
            }
            for row in rows
            if row.month == month
        ]
        if in_month:
            months.append((MONTHS[month], in_month))
    context.update(
        {
            "months": months,
            "visit_count": len(rows),
            "checks": [_shown(c, by_institution) for c in checks],
            "left_out": sum(1 for pk in proposal.left_out if pk in visible_ids),
            "pins": [
                (p, by_institution.get(p.institution_id))
                for p in pins.values()
                if p.institution_id in visible_ids
            ],
            "infeasible": [
                by_institution[pk]
                for pk in proposal.infeasibility.get("institutions", [])
                if pk in by_institution
            ],
            "infeasibility_text": _reason_text(proposal.infeasibility.get("reason", ""))
            if proposal.status in ("infeasible", "unknown")
            else "",
            "gap_percent": round(proposal.gap * 100, 2),
            "moves": [
                m
                for m in proposals.TABLE.available(user, proposal)
                if not any(condition(proposal) for condition in m.conditions)
            ],
            "can_create_visits": manager
            and proposal.state == ProposalState.APPROVED
            and proposal.visits_created_at is None,
            "events": proposal.events.select_related("actor"),
        }
    )
    return context
