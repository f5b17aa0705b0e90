"""Reads of recommendations, already filtered for the user.

Lists carry their deadline flags as annotations (`is_overdue`, `is_due_soon`) computed from
one `DeadlineWindow` (working days, holidays included), so a page of 50 costs the same few
queries as a page of 5.
"""

import uuid
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q, QuerySet
from django.http import Http404

from vigil.accounts.models import User
from vigil.visits.enums import NOT_STARTED_STATES, ReportState
from vigil.visits.models import Finding, Visit
from vigil.visits.permissions import visits_visible_to

from ..deadlines import DeadlineWindow
from ..enums import State
from ..models import (
    Assessment,
    AuthorityResponse,
    Recommendation,
    RecommendationEvent,
)
from ..permissions import recommendations_visible_to


def with_deadline_flags(
    qs: QuerySet[Recommendation], window: DeadlineWindow | None = None
) -> QuerySet[Recommendation]:
    window = window or DeadlineWindow.on()
    return qs.annotate(
        is_overdue=ExpressionWrapper(window.overdue_q(), output_field=BooleanField()),
        is_due_soon=ExpressionWrapper(window.due_soon_q(), output_field=BooleanField()),
    )


def recommendation_list(
    user: User | None, window: DeadlineWindow | None = None
) -> QuerySet[Recommendation]:
    """The recommendations a user may see, with what a list row shows."""
    qs = recommendations_visible_to(user).select_related(
        "addressee", "institution", "institution__region", "visit", "repeat_of"
    )
    return with_deadline_flags(qs, window)


def _detail_queryset(user: User | None) -> QuerySet[Recommendation]:
    return recommendation_list(user).select_related("created_by")


def get_recommendation(user: User | None, public_id: Any) -> Recommendation:
    """Fetch-and-authorize: 404 for a recommendation that does not exist or is not visible."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise Http404 from None
    try:
        return _detail_queryset(user).get(public_id=key)
    except Recommendation.DoesNotExist:
        raise Http404 from None


def linked_findings(rec: Recommendation) -> list[Finding]:
    return list(rec.findings.select_related("visit", "institution").order_by("theme", "id"))


def responses_of(rec: Recommendation) -> list[AuthorityResponse]:
    return list(
        rec.responses.select_related("responding_agency", "submitted_by", "corrects")
        .prefetch_related(
            "attachments",
            "corrections",
            Prefetch(
                "assessments",
                queryset=Assessment.objects.select_related("assessed_by", "visit").order_by(
                    "created_at", "id"
                ),
            ),
        )
        .order_by("created_at", "id")
    )


def assessments_of(rec: Recommendation) -> QuerySet[Assessment]:
    return rec.assessments.select_related("visit", "assessed_by", "response").order_by(
        "created_at", "id"
    )


def timeline_of(rec: Recommendation) -> QuerySet[RecommendationEvent]:
    return rec.events.select_related("actor").order_by("occurred_at", "id")


def related_of(rec: Recommendation, user: User | None) -> dict[str, list[Recommendation]]:
    """Repeats and escalations, among those the user may see."""
    visible = recommendations_visible_to(user)
    return {
        "repeats": list(visible.filter(repeat_of=rec).order_by("issued_on", "id")),
        "escalations": list(visible.filter(escalates=rec).order_by("issued_on", "id")),
        "escalates": list(visible.filter(escalations=rec).order_by("issued_on", "id")),
    }


# ---------------------------------------------------------------- issuing from a visit report


def visits_with_approved_reports(user: User | None) -> QuerySet[Visit]:
    """Visits whose report is approved, with how many drafts wait to be issued."""
    return (
        visits_visible_to(user)
        .filter(report__state=ReportState.APPROVED)
        .annotate(
            draft_count=Count(
                "recommendations", filter=Q(recommendations__state=State.DRAFT), distinct=True
            ),
            issued_count=Count(
                "recommendations", filter=~Q(recommendations__state=State.DRAFT), distinct=True
            ),
        )
        .select_related("report", "region")
        .order_by("-report__approved_at", "-id")
    )


def get_visit_for_issuing(user: User | None, public_id: Any) -> Visit:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise Http404 from None
    try:
        return visits_visible_to(user).select_related("report", "region").get(public_id=key)
    except Visit.DoesNotExist:
        raise Http404 from None


def visit_recommendations(visit: Visit, user: User | None) -> QuerySet[Recommendation]:
    return (
        recommendation_list(user)
        .filter(visit=visit)
        .prefetch_related(Prefetch("findings", queryset=Finding.objects.order_by("theme", "id")))
        .order_by("state", "id")
    )


def report_findings(visit: Visit) -> list[Finding]:
    """The findings of the visit's report (all the visit's findings when the report selects
    none)."""
    report = getattr(visit, "report", None)
    qs = report.findings.all() if report is not None else Finding.objects.none()
    if report is not None and not qs.exists():
        qs = visit.findings.all()
    return list(
        qs.select_related("institution")
        .annotate(rec_count=Count("recommendations"))
        .order_by("theme", "id")
    )


def report_finding(visit: Visit, public_id: Any) -> Finding | None:
    """One finding of the visit's report (a recommendation drafted from it), or None."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        return None
    return next((f for f in report_findings(visit) if f.public_id == key), None)


def visits_for_verification(rec: Recommendation, user: User | None) -> QuerySet[Visit]:
    """Visits the user sees that took place at the recommendation's institution (any, when
    it names none), other than the visit it came from: where implementation is checked."""
    qs = (
        visits_visible_to(user)
        .exclude(state__in=NOT_STARTED_STATES)
        .exclude(started_at__isnull=True)
    )
    if rec.institution_id is not None:
        qs = qs.filter(institutions=rec.institution_id)
    if rec.visit_id is not None:
        qs = qs.exclude(pk=rec.visit_id)
    return qs.order_by("-started_at", "-id")
