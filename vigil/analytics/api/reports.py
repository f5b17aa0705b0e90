"""API v1: the consolidated annual reports.

- `GET /api/v1/annual-reports/`: every year's report with its builds (status, progress,
  fingerprint, the addresses of the built files);
- `GET /api/v1/annual-reports/{year}/`: one report;
- `POST /api/v1/annual-reports/{year}/builds/` `{"language": "kk"}`: start a build (202; it
  runs in the background);
- `GET /api/v1/annual-reports/{year}/builds/{id}/`: a build's status and progress.

Coordinators and administrators read and build; auditors and regional representatives read;
other roles get 403 (`permissions.py`, annual report block); an unknown year or build is 404.
"""

from typing import Any

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from vigil.api.base import UUID_PATTERN, VigilViewSetMixin, public_id_or_404
from vigil.api.exceptions import ErrorSerializer

from ..models import AnnualReport, ReportBuild, ReportLanguage
from ..permissions import (
    annual_reports_visible_to,
    can_build_annual_report,
    can_read_annual_reports,
)
from ..services.report import annual_report_build_request
from ..tasks import enqueue_build

YEAR_PATTERN = r"[0-9]{4}"


class CanReadAnnualReports(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return can_read_annual_reports(request.user)  # type: ignore[arg-type]


class ReportBuildSerializer(serializers.ModelSerializer[ReportBuild]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    pdf_url = serializers.SerializerMethodField(
        help_text=_("The built PDF (a signed-in download, logged); null until done.")
    )
    docx_url = serializers.SerializerMethodField(
        help_text=_("The built DOCX (a signed-in download, logged); null until done.")
    )

    interrupted = serializers.BooleanField(
        read_only=True,
        help_text=_(
            "Running, but its worker stopped (no heartbeat for a while): ask for a new build."
        ),
    )

    class Meta:
        model = ReportBuild
        fields = [
            "id",
            "language",
            "status",
            "interrupted",
            "progress",
            "step",
            "fingerprint",
            "reused",
            "error",
            "created_at",
            "started_at",
            "finished_at",
            "pdf_url",
            "docx_url",
        ]
        read_only_fields = fields

    def _url(self, build: ReportBuild, kind: str) -> str | None:
        if build.status != "done":
            return None
        return reverse(
            "analytics:report_build_download", args=[build.report.year, build.public_id, kind]
        )

    @extend_schema_field(OpenApiTypes.STR)
    def get_pdf_url(self, build: ReportBuild) -> str | None:
        return self._url(build, "pdf")

    @extend_schema_field(OpenApiTypes.STR)
    def get_docx_url(self, build: ReportBuild) -> str | None:
        return self._url(build, "docx")


class AnnualReportSerializer(serializers.ModelSerializer[AnnualReport]):
    builds = ReportBuildSerializer(many=True, read_only=True, source="recent_builds")

    class Meta:
        model = AnnualReport
        fields = ["year", "title_kk", "title_ru", "title_en", "state", "builds"]
        read_only_fields = fields


class BuildRequestSerializer(serializers.Serializer[Any]):
    language = serializers.ChoiceField(choices=ReportLanguage.choices)


def _reports(user: Any) -> Any:
    builds = ReportBuild.objects.select_related("report").order_by("-created_at")
    return (
        annual_reports_visible_to(user)
        .order_by("-year")
        .prefetch_related(Prefetch("builds", queryset=builds, to_attr="recent_builds"))
    )


YEAR = OpenApiParameter("year", OpenApiTypes.INT, OpenApiParameter.PATH, description=_("Year."))
ERRORS = {
    403: OpenApiResponse(ErrorSerializer, description=_("Not for your role.")),
    404: OpenApiResponse(ErrorSerializer, description=_("No report for this year.")),
}


class AnnualReportViewSet(VigilViewSetMixin, viewsets.GenericViewSet[AnnualReport]):
    """The consolidated annual reports and their builds."""

    permission_classes = [CanReadAnnualReports]
    serializer_class = AnnualReportSerializer

    def get_queryset(self) -> Any:
        return _reports(self.actor)

    lookup_field = "year"
    lookup_value_regex = YEAR_PATTERN

    def _report(self, year: Any) -> AnnualReport:
        found = _reports(self.actor).filter(year=int(year)).first()
        if found is None:
            raise exceptions.NotFound
        return found

    @extend_schema(
        summary=_("Annual reports with their builds"),
        responses={200: AnnualReportSerializer(many=True), 403: ERRORS[403]},
    )
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(AnnualReportSerializer(page, many=True).data)

    @extend_schema(
        summary=_("One year's annual report"),
        parameters=[YEAR],
        responses={200: AnnualReportSerializer, **ERRORS},
    )
    def retrieve(self, request: Request, year: str) -> Response:
        return Response(AnnualReportSerializer(self._report(year)).data)

    @extend_schema(
        summary=_("Start a build of the annual report"),
        parameters=[YEAR],
        request=BuildRequestSerializer,
        responses={
            202: ReportBuildSerializer,
            400: OpenApiResponse(ErrorSerializer, description=_("An unknown language.")),
            **ERRORS,
        },
    )
    @action(detail=True, methods=["post"], url_path="builds", url_name="builds")
    def builds(self, request: Request, year: str) -> Response:
        report = self._report(year)
        if not can_build_annual_report(self.actor, report):
            raise exceptions.PermissionDenied
        data = BuildRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        build = annual_report_build_request(
            actor=self.actor,
            report=report,
            language=data.validated_data["language"],
            context=self.request_context,
        )
        enqueue_build(build)
        build.refresh_from_db()
        return Response(ReportBuildSerializer(build).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary=_("A build's status and progress"),
        parameters=[
            YEAR,
            OpenApiParameter("build_id", OpenApiTypes.UUID, OpenApiParameter.PATH),
        ],
        responses={
            200: ReportBuildSerializer,
            403: ERRORS[403],
            404: OpenApiResponse(ErrorSerializer, description=_("No such report or build.")),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=rf"builds/(?P<build_id>{UUID_PATTERN})",
        url_name="build",
    )
    def build(self, request: Request, year: str, build_id: str) -> Response:
        report = self._report(year)
        found = (
            ReportBuild.objects.filter(report=report, public_id=public_id_or_404(build_id))
            .select_related("report")
            .first()
        )
        if found is None:
            raise exceptions.NotFound
        return Response(ReportBuildSerializer(found).data)
