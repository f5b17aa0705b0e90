"""Planning pages: the risk factors (weights, editable by coordinators) and the coverage
rules with what they require this year."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.http import user_of
from vigil.audit.context import RequestContext
from vigil.core.forms import add_service_errors

from .coverage import coverage_due
from .forms import RiskFactorsForm
from .permissions import can_manage_planning, can_view_planning, risk_institutions_visible_to
from .risk import planned_institutions
from .selectors import coverage_rules, risk_factors
from .services import risk_factors_update


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
        },
    )
