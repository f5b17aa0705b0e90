"""API v1 for recommendations: list and drafts, transitions, assessments, issuing.

Thin edge: reads come from `recommendation_list` (what is not visible answers 404: an agency
liaison's token sees only issued recommendations addressed to its agency subtree), filters
from the one `RecommendationFilter`, writes go through `..services.core` (permission-checked,
validated and audited there).
"""

import uuid
from typing import Any, cast

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from vigil.accounts.models import User
from vigil.api.base import FieldPolicySerializer
from vigil.api.exceptions import ErrorSerializer
from vigil.audit.context import RequestContext
from vigil.registry.models import Agency, Institution
from vigil.registry.permissions import institutions_visible_to
from vigil.visits.enums import Theme
from vigil.visits.models import Finding, Visit
from vigil.visits.permissions import visits_visible_to, working_material_visible_to

from .. import workflow
from ..enums import Level, Source, State, Verdict
from ..filters import RecommendationFilter
from ..models import Assessment, Recommendation, RecommendationEvent
from ..permissions import (
    can_assess_recommendation,
    can_create_recommendation,
    can_view_assessments,
    recommendation_fields_hidden_from,
    recommendations_visible_to,
)
from ..selectors.core import assessments_of, recommendation_list, timeline_of
from ..services.assessments import recommendation_assess
from ..services.core import (
    recommendation_create,
    recommendation_delete,
    recommendation_issue,
    recommendation_transition,
    recommendation_update,
    recommendations_issue_for_visit,
)
from ..workflow import Via

UUID_PATTERN = r"[0-9a-fA-F-]{36}"
_DENIED = _("You may not do this with this recommendation.")


def _user(request: Request | None) -> User | None:
    user = getattr(request, "user", None)
    return user if isinstance(user, User) else None


def _absolute(request: Request | None, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


def _denied(exc: DjangoPermissionDenied) -> exceptions.PermissionDenied:
    return exceptions.PermissionDenied(str(exc) if exc.args else _DENIED)


class _ScopedField(serializers.SlugRelatedField[Any]):
    """A related object by its public id, among those the caller may see (`scope(user)`)."""

    model: Any = None

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "public_id")
        super().__init__(queryset=self.model.objects.none(), **kwargs)

    def scope(self, user: User | None) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        return self.scope(_user(self.context.get("request")))


class VisitField(_ScopedField):
    model = Visit

    def scope(self, user: User | None) -> QuerySet[Any]:
        return visits_visible_to(user)


class InstitutionField(_ScopedField):
    model = Institution

    def scope(self, user: User | None) -> QuerySet[Any]:
        return institutions_visible_to(user)


class FindingField(_ScopedField):
    model = Finding

    def scope(self, user: User | None) -> QuerySet[Any]:
        return Finding.objects.filter(visit__in=working_material_visible_to(user))


class RecommendationField(_ScopedField):
    model = Recommendation

    def scope(self, user: User | None) -> QuerySet[Any]:
        return recommendations_visible_to(user)


# ---------------------------------------------------------------- serializers


class RecommendationPolicySerializer(FieldPolicySerializer):
    # Fields hidden by `recommendation_fields_hidden_from` (no docstring: see the base).

    field_policy = staticmethod(recommendation_fields_hidden_from)


class RecommendationSerializer(serializers.ModelSerializer[Recommendation]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    url = serializers.HyperlinkedIdentityField(
        view_name="api:recommendation-detail", lookup_field="public_id", lookup_url_kwarg="id"
    )
    html_url = serializers.SerializerMethodField(help_text=_("The recommendation's page."))
    visit = serializers.SlugRelatedField[Visit](slug_field="public_id", read_only=True)
    visit_reference = serializers.CharField(source="visit.reference", read_only=True, default=None)
    addressee = serializers.SlugRelatedField[Agency](
        slug_field="code", read_only=True, help_text=_("The addressee agency's code.")
    )
    addressee_name = serializers.CharField(source="addressee.name", read_only=True)
    institution = serializers.SlugRelatedField[Institution](slug_field="public_id", read_only=True)
    institution_name = serializers.CharField(
        source="institution.name", read_only=True, default=None
    )
    findings = serializers.SlugRelatedField[Finding](
        slug_field="public_id", many=True, read_only=True
    )
    repeat_of = serializers.SlugRelatedField[Recommendation](slug_field="public_id", read_only=True)
    repeat_of_reference = serializers.CharField(
        source="repeat_of.reference", read_only=True, default=None
    )
    is_overdue = serializers.BooleanField(
        read_only=True,
        help_text=_("The deadline has passed (in working days) and the answer is still owed."),
    )
    is_due_soon = serializers.BooleanField(read_only=True)

    class Meta:
        model = Recommendation
        fields = (
            "id",
            "url",
            "html_url",
            "reference",
            "external_ref",
            "source",
            "source_document",
            "visit",
            "visit_reference",
            "addressee",
            "addressee_name",
            "institution",
            "institution_name",
            "findings",
            "theme",
            "level",
            "text",
            "indicator",
            "issued_on",
            "deadline",
            "state",
            "state_changed_on",
            "claimed_status",
            "assessed_verdict",
            "repeat_of",
            "repeat_of_reference",
            "is_overdue",
            "is_due_soon",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, obj: Recommendation) -> str:
        return _absolute(
            self.context.get("request"),
            reverse("recommendations:detail", kwargs={"public_id": obj.public_id}),
        )


class RecommendationWriteSerializer(serializers.Serializer[Any]):
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=[(v, label) for v, label in Source.choices if v != Source.ESCALATION],
        required=False,
        help_text=_("Default: visit_report with a visit, thematic_report without."),
    )
    source_document = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    visit = VisitField(required=False, allow_null=True, help_text=_("The visit's id."))
    addressee = serializers.SlugRelatedField[Agency](
        slug_field="code",
        queryset=Agency.objects.all(),
        help_text=_("The addressee agency's code (any level of the hierarchy)."),
    )
    institution = InstitutionField(
        required=False,
        allow_null=True,
        help_text=_("The institution's id."),
    )
    findings = FindingField(
        many=True,
        required=False,
        help_text=_("Ids of findings of the same visit."),
    )
    theme = serializers.ChoiceField(choices=Theme.choices, help_text=_("Taxonomy code T1–T8."))
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    text = serializers.CharField(max_length=20_000)
    indicator = serializers.CharField(
        max_length=5_000, required=False, allow_blank=True, default=""
    )
    deadline = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("Empty: set on issue, the issue date plus the default working days."),
    )
    repeat_of = RecommendationField(
        required=False,
        allow_null=True,
        help_text=_("The id of the earlier recommendation this one repeats."),
    )


class RecommendationMoveSerializer(serializers.Serializer[Any]):
    to_state = serializers.ChoiceField(choices=State.choices)
    label = serializers.CharField()  # type: ignore[assignment]
    needs_note = serializers.BooleanField()
    needs_deadline = serializers.BooleanField()


class RecommendationEventSerializer(
    RecommendationPolicySerializer, serializers.ModelSerializer[RecommendationEvent]
):
    actor = serializers.SerializerMethodField(
        help_text=_("Who made the change; absent for agency liaisons.")
    )

    class Meta:
        model = RecommendationEvent
        fields = ("kind", "from_state", "to_state", "actor", "occurred_at", "note", "data")
        read_only_fields = fields

    def get_actor(self, obj: RecommendationEvent) -> str | None:
        return str(obj.actor) if obj.actor_id else None


class RecommendationTransitionsSerializer(serializers.Serializer[Any]):
    state = serializers.ChoiceField(choices=State.choices)
    available = RecommendationMoveSerializer(
        many=True, help_text=_("The moves the caller may make now.")
    )
    history = RecommendationEventSerializer(many=True)


class RecommendationTransitionRequestSerializer(serializers.Serializer[Any]):
    to_state = serializers.ChoiceField(choices=State.choices)
    note = serializers.CharField(
        allow_blank=True,
        default="",
        max_length=5000,
        help_text=_("Required for closing as obsolete and for giving a new deadline."),
    )
    deadline = serializers.DateField(
        required=False, allow_null=True, help_text=_("The new deadline, where the move sets one.")
    )
    expected_state = serializers.ChoiceField(
        choices=State.choices,
        required=False,
        help_text=_("The status the caller saw: the move is refused if it has changed since."),
    )


class AssessmentSerializer(RecommendationPolicySerializer, serializers.ModelSerializer[Assessment]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    visit = serializers.SlugRelatedField[Visit](slug_field="public_id", read_only=True)
    visit_reference = serializers.CharField(source="visit.reference", read_only=True, default=None)
    response = serializers.SlugRelatedField[Any](slug_field="public_id", read_only=True)
    assessed_by = serializers.CharField(
        source="assessed_by.full_name",
        read_only=True,
        help_text=_("Who assessed; absent for agency liaisons."),
    )

    class Meta:
        model = Assessment
        fields = (
            "id",
            "verdict",
            "reasons",
            "visit",
            "visit_reference",
            "response",
            "assessed_by",
            "created_at",
        )
        read_only_fields = fields


class AssessmentCreateSerializer(serializers.Serializer[Any]):
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    reasons = serializers.CharField(
        allow_blank=True,
        default="",
        max_length=10_000,
        help_text=_("Required to dispute a claim, for implementation not found, and to reopen."),
    )
    visit = VisitField(
        required=False,
        allow_null=True,
        help_text=_("The visit that took place at which implementation was checked."),
    )
    deadline = serializers.DateField(
        required=False, allow_null=True, help_text=_("Only when reopening: a new deadline.")
    )
    expected_state = serializers.ChoiceField(choices=State.choices, required=False)


class IssueVisitSerializer(serializers.Serializer[Any]):
    visit = serializers.UUIDField(help_text=_("The id of a visit whose report is approved."))


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
    viewsets.GenericViewSet[Recommendation],
):
    """Recommendations from finding to verified implementation."""

    serializer_class = RecommendationSerializer
    filterset_class = RecommendationFilter
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    lookup_value_regex = UUID_PATTERN

    def get_queryset(self) -> QuerySet[Recommendation]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no database reads
            return Recommendation.objects.none()
        return recommendation_list(self._actor()).prefetch_related("findings")

    def get_object(self) -> Recommendation:
        try:
            uuid.UUID(str(self.kwargs[self.lookup_url_kwarg]))
        except ValueError:
            raise exceptions.NotFound() from None
        return super().get_object()  # type: ignore[no-any-return]

    def _actor(self) -> User:
        return cast(User, self.request.user)

    def _ctx(self) -> RequestContext:
        return RequestContext.from_request(self.request)

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
        if not can_create_recommendation(self._actor()):
            raise exceptions.PermissionDenied(_DENIED)
        data, findings = self._write_data(partial=False)
        try:
            rec = recommendation_create(
                actor=self._actor(), data=data, findings=findings or (), context=self._ctx()
            )
        except DjangoPermissionDenied as exc:
            raise _denied(exc) from None
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
        try:
            recommendation_update(
                actor=self._actor(),
                recommendation=rec,
                data=data,
                findings=findings,
                context=self._ctx(),
            )
        except DjangoPermissionDenied as exc:
            raise _denied(exc) from None
        return self._show(rec)

    def perform_destroy(self, instance: Recommendation) -> None:
        try:
            recommendation_delete(actor=self._actor(), recommendation=instance, context=self._ctx())
        except DjangoPermissionDenied as exc:
            raise _denied(exc) from None

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
    def transitions(self, request: Request, id: str) -> Response:
        rec = self.get_object()
        if request.method == "GET":
            moves = workflow.available(self._actor(), rec, Via.MANUAL)
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
        serializer = RecommendationTransitionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            recommendation_transition(
                actor=self._actor(),
                recommendation=rec,
                to_state=data["to_state"],
                note=data["note"],
                deadline=data.get("deadline"),
                expected_state=data.get("expected_state"),
                via=Via.MANUAL,
                context=self._ctx(),
            )
        except DjangoPermissionDenied as exc:
            raise _denied(exc) from None
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
    def assessments(self, request: Request, id: str) -> Response:
        rec = self.get_object()
        actor = self._actor()
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
        try:
            assessment = recommendation_assess(
                actor=actor,
                recommendation=rec,
                verdict=data["verdict"],
                reasons=data["reasons"],
                visit=data.get("visit"),
                deadline=data.get("deadline"),
                expected_state=data.get("expected_state"),
                context=self._ctx(),
            )
        except DjangoPermissionDenied as exc:
            raise _denied(exc) from None
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
    def issue(self, request: Request, id: str) -> Response:
        rec = self.get_object()
        try:
            recommendation_issue(
                actor=self._actor(),
                recommendation=rec,
                link_base=request.build_absolute_uri("/").rstrip("/"),
                context=self._ctx(),
            )
        except DjangoPermissionDenied as exc:
            raise _denied(exc) from None
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
    def issue_visit(self, request: Request) -> Response:
        serializer = IssueVisitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        visit = (
            visits_visible_to(self._actor())
            .filter(public_id=serializer.validated_data["visit"])
            .first()
        )
        if visit is None:
            raise exceptions.ValidationError({"visit": [_("No visit you can see has this id.")]})
        try:
            issued = recommendations_issue_for_visit(
                actor=self._actor(),
                visit=visit,
                link_base=request.build_absolute_uri("/").rstrip("/"),
                context=self._ctx(),
            )
        except DjangoPermissionDenied as exc:
            raise _denied(exc) from None
        fresh = self.get_queryset().filter(pk__in=[r.pk for r in issued]).order_by("id")
        return Response(self.get_serializer(fresh, many=True).data)


def register(router: SimpleRouter) -> None:
    router.register("recommendations", RecommendationViewSet, basename="recommendation")
