"""API v1 for visit reports: `register(router)` adds the viewset.

A visit has at most one report, so a report is addressed by its visit:
`/api/v1/visit-reports/{visit_id}/`. Thin edge over `vigil.visits.services.reports`:
starting, editing, the DRAFT → REVIEW → APPROVED steps and the PDF/DOCX exports are the
services' (permission-checked, validated, audited); what is not visible answers 404.
"""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from vigil.accounts.models import User
from vigil.api.base import AuthenticatedRequest, VigilViewSet, request_user

from ..enums import IntervieweeCategory, ReportState
from ..models import Finding, ReportTransition, VisitReport
from ..permissions import can_work_on_visit, writes_working_material
from ..selectors.reports import interview_counts, reports_visible_to
from ..services.reports import (
    MOVE_BY_ACTION,
    ExportFormat,
    available_report_moves,
    may_move_report,
    report_create,
    report_export,
    report_transition,
    report_update,
)
from .findings import VisitField
from .policy import VisitPolicySerializer

_PDF = "application/pdf"
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ReportFindingsField(serializers.SlugRelatedField[Finding]):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="public_id", queryset=Finding.objects.none(), **kwargs)

    def get_queryset(self) -> QuerySet[Finding]:
        report = getattr(self.root, "instance", None)
        if isinstance(report, VisitReport):
            return Finding.objects.filter(visit_id=report.visit_id)
        return Finding.objects.none()


class ReportTransitionSerializer(
    VisitPolicySerializer, serializers.ModelSerializer[ReportTransition]
):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = ReportTransition
        fields = ("from_state", "to_state", "actor", "occurred_at", "note")
        read_only_fields = fields

    def get_actor(self, obj: ReportTransition) -> str:
        return obj.actor.full_name if obj.actor else ""


class InterviewCountSerializer(serializers.Serializer[Any]):
    category = serializers.ChoiceField(choices=IntervieweeCategory.choices)
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()


class VisitReportSerializer(VisitPolicySerializer, serializers.ModelSerializer[VisitReport]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    url = serializers.SerializerMethodField(help_text=_("This report in the API."))
    html_url = serializers.SerializerMethodField(help_text=_("The report's page."))
    visit = serializers.UUIDField(source="visit.public_id", read_only=True)
    visit_reference = serializers.CharField(source="visit.reference", read_only=True)
    visit_state = serializers.CharField(source="visit.state", read_only=True)
    state = serializers.ChoiceField(choices=ReportState.choices, read_only=True)
    findings = ReportFindingsField(
        many=True,
        required=False,
        help_text=_("Ids of the findings selected for the report (of the same visit)."),
    )
    approved_by = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField(
        help_text=_("The steps the caller may take now: submit, return, approve.")
    )
    interview_counts = serializers.SerializerMethodField(
        help_text=_(
            "Interviews by category as the annex counts them: consent not withdrawn; "
            "never content or identities."
        )
    )
    transitions = ReportTransitionSerializer(many=True, read_only=True)

    class Meta:
        model = VisitReport
        fields: tuple[str, ...] = (
            "id",
            "url",
            "html_url",
            "visit",
            "visit_reference",
            "visit_state",
            "language",
            "state",
            "introduction",
            "conclusion",
            "findings",
            "approved_by",
            "approved_at",
            "allowed_actions",
            "interview_counts",
            "transitions",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("approved_at", "created_at", "updated_at")

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj: VisitReport) -> str:
        return self._absolute(
            reverse("api:visit-report-detail", kwargs={"visit_id": obj.visit.public_id})
        )

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, obj: VisitReport) -> str:
        return self._absolute(reverse("visits:report", kwargs={"public_id": obj.visit.public_id}))

    def get_approved_by(self, obj: VisitReport) -> str:
        return obj.approved_by.full_name if obj.approved_by else ""

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, obj: VisitReport) -> list[str]:
        return [m.action for m in available_report_moves(request_user(self.context), obj)]

    @extend_schema_field(InterviewCountSerializer(many=True))
    def get_interview_counts(self, obj: VisitReport) -> list[dict[str, Any]]:
        return [
            {"category": row.code, "label": str(row.label), "count": row.count}
            for row in interview_counts(obj.visit)
        ]


class VisitReportListSerializer(VisitReportSerializer):
    """A report in a list: without what costs a query per report (the caller's allowed
    steps, the interview counts, the history); the detail has them."""

    class Meta(VisitReportSerializer.Meta):
        fields = tuple(
            name
            for name in VisitReportSerializer.Meta.fields
            if name not in ("allowed_actions", "interview_counts", "transitions")
        )


class ReportStartSerializer(serializers.Serializer[Any]):
    visit = VisitField()
    language = serializers.ChoiceField(
        choices=VisitReport._meta.get_field("language").choices,  # type: ignore[arg-type]
        required=False,
        help_text=_("Default: the team lead's preferred language, else the site's."),
    )


class ReportStepSerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(
        choices=[(a, m.label) for a, m in MOVE_BY_ACTION.items()],
        help_text=_(
            "submit (DRAFT → REVIEW: the team lead or a planner), return (REVIEW → DRAFT, "
            "with a note: a coordinator), approve (REVIEW → APPROVED: a coordinator; needs "
            "at least one finding)."
        ),
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReportFilter(django_filters.FilterSet):
    visit = django_filters.UUIDFilter(
        label=_("Visit"), field_name="visit__public_id", help_text=_("The visit's id.")
    )
    state = django_filters.ChoiceFilter(label=_("State"), choices=ReportState.choices)

    class Meta:
        model = VisitReport
        fields = ("visit", "state")


_DOCUMENT = {
    "pdf": (_PDF, _("The report as PDF, in its language.")),
    "docx": (_DOCX, _("The report as DOCX, in its language.")),
}


@extend_schema_view(
    list=extend_schema(
        summary=_("List visit reports"),
        description=_(
            "Reports of the visits whose working material the caller may read (the "
            "visit's team, coordinators, regional representatives in their regions, "
            "auditors)."
        ),
    ),
    retrieve=extend_schema(
        summary=_("Show the report on a visit"),
        description=_("Addressed by the visit's id. 404 when there is none or it is not visible."),
    ),
    create=extend_schema(
        summary=_("Start the report on a visit"),
        description=_(
            "Once the visit is debriefed: the team lead or a planner. The visit moves to "
            "REPORT_DRAFT; every finding of the visit starts selected."
        ),
        request=ReportStartSerializer,
        responses={201: VisitReportSerializer},
    ),
    update=extend_schema(
        summary=_("Replace the report's narrative and selection"),
        description=_("Only while a draft; the team and planners in scope."),
    ),
    partial_update=extend_schema(
        summary=_("Change the report's narrative or selection"),
        description=_("Only while a draft; the team and planners in scope."),
    ),
)
class VisitReportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    VigilViewSet[VisitReport],
):
    """The report on a visit for the authorities: selected findings plus narrative."""

    serializer_class = VisitReportSerializer
    filterset_class = ReportFilter
    lookup_field = "visit__public_id"
    lookup_url_kwarg = "visit_id"

    def visible_to(self, user: User | None) -> QuerySet[VisitReport]:
        return (
            reports_visible_to(user)
            .prefetch_related("findings", "transitions__actor")
            .select_related("visit__region")
            .order_by("-created_at", "-id")
        )

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # The downloads answer with the document itself (whatever `Accept` asks for, so
        # that `Accept: application/pdf` is not refused); their errors stay JSON.
        return super().perform_content_negotiation(
            request, force=force or self.action in ("pdf", "docx")
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer[VisitReport]]:
        if self.action == "list":
            return VisitReportListSerializer
        return VisitReportSerializer

    def may_create(self, user: User) -> bool:
        return writes_working_material(user)

    def may_change(self, user: User, obj: VisitReport) -> bool:
        return can_work_on_visit(user, obj.visit)

    def _fresh(self, report: VisitReport) -> VisitReport:
        return self.get_queryset().get(pk=report.pk)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = ReportStartSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        report = report_create(
            actor=self.actor,
            visit=serializer.validated_data["visit"],
            language=serializer.validated_data.get("language"),
            context=self.request_context,
        )
        body = self.get_serializer(self._fresh(report)).data
        return Response(body, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer: serializers.BaseSerializer[VisitReport]) -> None:
        report: VisitReport = serializer.instance  # type: ignore[assignment]
        report_update(
            actor=self.actor,
            report=report,
            data=dict(serializer.validated_data),
            context=self.request_context,
        )
        serializer.instance = self._fresh(report)

    @extend_schema(
        summary=_("Take a step in the report's life cycle"),
        description=_(
            "DRAFT → REVIEW → APPROVED, or back to DRAFT with a note. The visit moves with "
            "the report; each step is kept in `transitions` and audited."
        ),
        request=ReportStepSerializer,
        responses={200: VisitReportSerializer},
    )
    @action(detail=True, methods=["post"], url_path="transitions")
    def transitions(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> Response:
        report = self.get_object()
        if not may_move_report(self.actor, report):
            raise exceptions.PermissionDenied(str(self.denied_message))
        serializer = ReportStepSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = report_transition(
            actor=self.actor,
            report=report,
            action=serializer.validated_data["action"],
            note=serializer.validated_data["note"],
            context=self.request_context,
        )
        return Response(self.get_serializer(self._fresh(report)).data)

    def _document(self, fmt: ExportFormat) -> HttpResponse:
        report = self.get_object()
        exported = report_export(
            actor=self.actor,
            report=report,
            fmt=fmt,
            context=self.request_context,
        )
        response = HttpResponse(exported.content, content_type=exported.content_type)
        response["Content-Disposition"] = content_disposition_header(True, exported.filename)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(
        summary=_("Download the report as PDF"),
        description=_DOCUMENT["pdf"][1],
        responses={
            (200, _PDF): OpenApiResponse(OpenApiTypes.BINARY, description=_DOCUMENT["pdf"][1])
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="pdf",
        filter_backends=[],
        pagination_class=None,
    )
    def pdf(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._document("pdf")

    @extend_schema(
        summary=_("Download the report as DOCX"),
        description=_DOCUMENT["docx"][1],
        responses={
            (200, _DOCX): OpenApiResponse(OpenApiTypes.BINARY, description=_DOCUMENT["docx"][1])
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="docx",
        filter_backends=[],
        pagination_class=None,
    )
    def docx(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._document("docx")
