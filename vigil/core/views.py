import datetime

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from vigil.accounts.enums import Role
from vigil.audit.permissions import can_view_audit
from vigil.audit.selectors import access_events_visible_to, audit_events_visible_to
from vigil.people.permissions import can_view_own_visits
from vigil.recommendations.selectors.portal import portal_home_summary
from vigil.reference.enums import InstitutionCategory
from vigil.registry.permissions import can_view_registry, institutions_visible_to
from vigil.visits.permissions import can_plan_visits
from vigil.visits.selectors.visits import my_work, planner_work

NOT_VISITED_YEARS = 2


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands on what it must do next (UX.md, "Home by role")."""
    user = request.user
    context: dict[str, object] = {}
    if can_view_registry(user):  # type: ignore[arg-type]
        since = timezone.localdate() - datetime.timedelta(days=365 * NOT_VISITED_YEARS)
        institutions = institutions_visible_to(user)  # type: ignore[arg-type]
        totals = institutions.aggregate(
            total=Count("id"),
            not_visited=Count(
                "id", filter=Q(last_visited_on__isnull=True) | Q(last_visited_on__lt=since)
            ),
        )
        labels = dict(InstitutionCategory.choices)
        by_category = [
            {
                "code": row["type__category"],
                "label": labels.get(row["type__category"], ""),
                "count": row["n"],
            }
            for row in institutions.values("type__category").annotate(n=Count("id")).order_by("-n")
        ]
        context.update(
            institution_total=totals["total"],
            not_visited_total=totals["not_visited"],
            not_visited_since=since,
            by_category=by_category,
        )
    if can_view_own_visits(user):  # type: ignore[arg-type]
        work = my_work(user)  # type: ignore[arg-type]
        if work.participant is not None or user.role == Role.MONITOR:  # type: ignore[union-attr]
            context["my_work"] = work
    if can_plan_visits(user):  # type: ignore[arg-type]
        context["planner_work"] = planner_work(user)  # type: ignore[arg-type]
    context["portal"] = portal_home_summary(user)  # type: ignore[arg-type]
    if can_view_audit(user):  # type: ignore[arg-type]
        context["recent_access"] = access_events_visible_to(user)[:10]  # type: ignore[arg-type]
        if user.role == Role.AUDITOR:  # type: ignore[union-attr]
            context["recent_audit"] = audit_events_visible_to(user)[:10]  # type: ignore[arg-type]
    return render(request, "core/home.html", context)


@login_not_required
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
