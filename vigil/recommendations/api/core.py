"""API v1 for recommendations: list and drafts, transitions, assessments, issuing.

Thin edge: reads come from `recommendation_list` (what is not visible answers 404: an agency
liaison's token sees only issued recommendations addressed to its agency subtree), filters
from the one `RecommendationFilter`, writes go through `..services.core` (permission-checked,
validated and audited there).
"""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from vigil.accounts.models import User
from vigil.api.base import UUID_PATTERN, AuthenticatedRequest, VigilViewSet
from vigil.api.exceptions import ErrorSerializer
from vigil.visits.models import Finding
from vigil.visits.permissions import visits_visible_to

from .. import workflow
from ..filters import RecommendationFilter
from ..models import Recommendation
from ..permissions import (
    can_assess_recommendation,
    can_create_recommendation,
    can_view_assessments,
)
from ..selectors.core import assessments_of, recommendation_list, timeline_of
from ..services.assessments import recommendation_assess
from ..services.drafts import recommendation_create, recommendation_delete, recommendation_update
from ..services.issuing import recommendation_issue, recommendations_issue_for_visit
from ..services.lifecycle import recommendation_transition
from ..workflow import Via
from .serializers import (
    AssessmentCreateSerializer,
    AssessmentSerializer,
    IssueVisitSerializer,
    RecommendationSerializer,
    RecommendationTransitionRequestSerializer,
    RecommendationTransitionsSerializer,
    RecommendationWriteSerializer,
)

_DENIED = _("You may not do this with this recommendation.")

# ---------------------------------------------------------------- the viewset


@extend_schema_view(
    list=extend_schema(
        summary=_("List recommendations"),
        description=_(
            "Coordinators, administrators, monitors and auditors see all; regional "
            "representatives those of their regions; an agency liaison only the issued "
            "recommendations addressed to its agency and its sub-units. Filters: agency "
            "(code, with sub-units), institution (id or external code), status, tally, "
            "year, overdue, due_soon, theme, level, source, visit, repeated, search."
        ),
    ),
    retrieve=extend_schema(
        summary=_("Show a recommendation"),
        description=_("404 for a recommendation that does not exist or is not visible."),
    ),
    destroy=extend_schema(
        summary=_("Delete a draft"),
        description=_("Drafts only (400 otherwise); those who may edit it. Audited."),
        responses={
            204: None,
            400: OpenApiResponse(ErrorSerializer, description="Not a draft: `errors` says why."),
        },
    ),
)
class RecommendationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    VigilViewSet[Recommendation],
):
    """Recommendations from finding to verified implementation."""

    serializer_class = RecommendationSerializer
    filterset_class = RecommendationFilter
    lookup_value_regex = UUID_PATTERN
    denied_message = _DENIED

    def visible_to(self, user: User | None) -> QuerySet[Recommendation]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no database reads
            return Recommendation.objects.none()
        return recommendation_list(user).prefetch_related("findings")

    def _show(self, rec: Recommendation, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=rec.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def _write_data(self, partial: bool) -> tuple[dict[str, Any], list[Finding] | None]:
        serializer = RecommendationWriteSerializer(
            data=self.request.data, partial=partial, context={"request": self.request}
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if partial:
            data = {k: v for k, v in data.items() if k in self.request.data}
        findings = data.pop("findings", None)
        return data, findings

    @extend_schema(
        summary=_("Draft a recommendation"),
        description=_(
            "Coordinators and administrators; regional representatives for an institution "
            "or a regional department of their regions. It starts as a draft with a "
            "reference such as REC-2026-000042. Validated and audited."
        ),
        request=RecommendationWriteSerializer,
        responses={201: RecommendationSerializer},
    )
    def create(self, request: Request) -> Response:
        if not can_create_recommendation(self.actor):
            raise exceptions.PermissionDenied(_DENIED)
        data, findings = self._write_data(partial=False)
        rec = recommendation_create(
            actor=self.actor, data=data, findings=findings or (), context=self.request_context
        )
        return self._show(rec, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Change a draft"),
        description=_("Drafts only (400 once issued); only the fields sent are changed. Audited."),
        request=RecommendationWriteSerializer(partial=True),
        responses={200: RecommendationSerializer},
    )
    def partial_update(self, request: Request, id: str) -> Response:
        rec = self.get_object()
        data, findings = self._write_data(partial=True)
        recommendation_update(
            actor=self.actor,
            recommendation=rec,
            data=data,
            findings=findings,
            context=self.request_context,
        )
        return self._show(rec)

    def perform_destroy(self, instance: Recommendation) -> None:
        recommendation_delete(
            actor=self.actor, recommendation=instance, context=self.request_context
        )

    @extend_schema(
        methods=["GET"],
        summary=_("The moves available and the status history"),
        responses={200: RecommendationTransitionsSerializer},
    )
    @extend_schema(
        methods=["POST"],
        summary=_("Move the recommendation along its life cycle"),
        description=_(
            "The NPM's moves of the transition table (mark sent, give a new deadline, close "
            "as obsolete), by the roles it names. Checked against the current status under "
            "a lock: a move no longer allowed, or a status that changed since "
            "`expected_state`, answers 400 with the reason. Responses, assessments, issuing "
            "and escalation have their own endpoints."
        ),
        request=RecommendationTransitionRequestSerializer,
        responses={200: RecommendationSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def transitions(self, request: AuthenticatedRequest, id: str) -> Response:
        rec = self.get_object()
        if request.method == "GET":
            moves = workflow.available(self.actor, rec, Via.MANUAL)
            payload = {
                "state": rec.state,
                "available": [
                    {
                        "to_state": m.target,
                        "label": str(m.label),
                        "needs_note": m.needs_note,
                        "needs_deadline": m.needs_deadline,
                    }
                    for m in moves
                ],
                "history": list(timeline_of(rec)),
            }
            return Response(
                RecommendationTransitionsSerializer(payload, context={"request": request}).data
            )
        if not workflow.TABLE.may_move(self.actor, rec, Via.MANUAL):
            raise exceptions.PermissionDenied(str(self.denied_message))
        serializer = RecommendationTransitionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        recommendation_transition(
            actor=self.actor,
            recommendation=rec,
            to_state=data["to_state"],
            note=data["note"],
            deadline=data.get("deadline"),
            expected_state=data.get("expected_state"),
            via=Via.MANUAL,
            context=self.request_context,
        )
        return self._show(rec)

    @extend_schema(
        methods=["GET"],
        summary=_("The NPM's assessments of the recommendation"),
        responses={200: AssessmentSerializer(many=True)},
    )
    @extend_schema(
        methods=["POST"],
        summary=_("Assess the recommendation"),
        description=_(
            "Monitors, coordinators and regional representatives in scope: accept the "
            "authority's claim, dispute it (reasons required), verify implementation at a "
            "visit that took place (visit required), record implementation not found "
            "(visit and reasons), or reopen (reasons). The verdict is kept apart from the "
            "authority's claim; verification and reopening move the status."
        ),
        request=AssessmentCreateSerializer,
        responses={201: AssessmentSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def assessments(self, request: AuthenticatedRequest, id: str) -> Response:
        rec = self.get_object()
        actor = self.actor
        if request.method == "GET":
            if not can_view_assessments(actor, rec):
                raise exceptions.PermissionDenied(_DENIED)
            return Response(
                AssessmentSerializer(
                    assessments_of(rec), many=True, context={"request": request}
                ).data
            )
        if not can_assess_recommendation(actor, rec):
            raise exceptions.PermissionDenied(_DENIED)
        serializer = AssessmentCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        assessment = recommendation_assess(
            actor=actor,
            recommendation=rec,
            verdict=data["verdict"],
            reasons=data["reasons"],
            visit=data.get("visit"),
            deadline=data.get("deadline"),
            expected_state=data.get("expected_state"),
            context=self.request_context,
        )
        assessment = assessments_of(rec).get(pk=assessment.pk)
        return Response(
            AssessmentSerializer(assessment, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        operation_id="recommendations_issue_one",
        summary=_("Issue a draft"),
        description=_(
            "Its issue date is today and, when it has none, its deadline today plus the "
            "default number of working days; the addressee's liaisons are told by e-mail."
        ),
        request=None,
        responses={200: RecommendationSerializer},
    )
    @action(detail=True, methods=["post"], url_path="issue", url_name="issue")
    def issue(self, request: AuthenticatedRequest, id: str) -> Response:
        rec = self.get_object()
        recommendation_issue(
            actor=self.actor,
            recommendation=rec,
            link_base=request.build_absolute_uri("/").rstrip("/"),
            context=self.request_context,
        )
        return self._show(rec)

    @extend_schema(
        operation_id="recommendations_issue_visit",
        summary=_("Issue every draft of an approved visit report"),
        description=_(
            "All or nothing, in one transaction; each addressee's liaisons get one e-mail "
            "listing theirs. Coordinators and administrators; regional representatives for "
            "visits in their regions."
        ),
        request=IssueVisitSerializer,
        responses={200: RecommendationSerializer(many=True)},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="issue",
        url_name="issue-visit",
        pagination_class=None,
        filterset_class=None,
    )
    def issue_visit(self, request: AuthenticatedRequest) -> Response:
        serializer = IssueVisitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        visit = (
            visits_visible_to(self.actor)
            .filter(public_id=serializer.validated_data["visit"])
            .first()
        )
        if visit is None:
            raise exceptions.ValidationError({"visit": [_("No visit you can see has this id.")]})
        issued = recommendations_issue_for_visit(
            actor=self.actor,
            visit=visit,
            link_base=request.build_absolute_uri("/").rstrip("/"),
            context=self.request_context,
        )
        fresh = self.get_queryset().filter(pk__in=[r.pk for r in issued]).order_by("id")
        return Response(self.get_serializer(fresh, many=True).data)
