"""API v1: `GET /api/v1/statistics/?year=&region=&agency=&institution_type=`: the dashboard's
figures (`selectors.statistics`), the sections the caller may see (`dashboard_sections`; a
liaison: its agency's recommendations only, every other section null). Each figure has its
key, label, count, share (percent, base, "36.3% of 758") and the list behind it. Without
`year`, the current year; `year=` (empty) counts every year.
"""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from vigil.api.base import VigilViewSetMixin
from vigil.api.exceptions import ErrorSerializer
from vigil.api.figures import FigureSerializer
from vigil.core.figures import Figure
from vigil.recommendations.selectors.tallies import TallyCounts

from ..filters import StatisticsFilterForm
from ..permissions import (
    SECTIONS,
    can_view_statistics_api,
    dashboard_sections,
    filter_agencies_for,
    filter_regions_for,
)
from ..selectors.statistics import Statistics, statistics


class CanViewStatistics(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return can_view_statistics_api(request.user)  # type: ignore[arg-type]


def _figures(figures: list[Figure]) -> list[dict[str, Any]]:
    return [figure.as_dict() for figure in figures]


def _rate(counts: TallyCounts) -> Any:
    return counts.implementation_rate


def statistics_as_dict(result: Statistics) -> dict[str, Any]:
    """The statistics as the API gives them (a section the caller may not see: null)."""
    f = result.filters
    data: dict[str, Any] = {
        "year": f.year,
        "region": f.region.code if f.region else None,
        "agency": f.agency.code if f.agency else None,
        "institution_type": f.institution_type.code if f.institution_type else None,
        "sections": [name for name in SECTIONS if name in result.sections],
        "visits": None,
        "coverage": None,
        "recommendations": None,
        "themes": None,
        "appeals": None,
        "funnel": None,
        "accountability": None,
        "incidents": None,
    }
    if result.visits is not None:
        v = result.visits
        data["visits"] = {
            "total": v.total.as_dict(),
            "institutions": v.institutions.as_dict(),
            "by_type": _figures(v.by_type),
            "by_mode": _figures(v.by_mode),
            "by_agency": _figures(v.by_agency),
            "by_region": _figures(v.by_region),
        }
    if result.coverage is not None:
        c = result.coverage
        data["coverage"] = {
            "years": c.years,
            "institutions": c.institutions.as_dict(),
            "covered": c.covered.as_dict(),
            "never_visited": c.never_visited.as_dict(),
            "not_visited": c.not_visited.as_dict(),
        }
    if result.recommendations is not None:
        r = result.recommendations
        data["recommendations"] = {
            "implementation_rate": _rate(r.counts),
            "figures": _figures(r.figures),
            "escalated": r.escalated.as_dict(),
            "by_agency": [
                {
                    "agency": row.agency.code,
                    "label": row.label,
                    "implementation_rate": _rate(row.counts),
                    "figures": _figures(row.figures),
                }
                for row in r.by_agency
            ],
            "trend": [
                {
                    "agency": point.agency.code,
                    "label": point.label,
                    "year": point.year,
                    "issued": point.counts.issued,
                    "implemented": point.counts.implemented,
                    "implementation_rate": _rate(point.counts),
                }
                for point in r.trend
            ],
        }
    if result.themes is not None:
        data["themes"] = {
            "by_theme": _figures(result.themes.by_theme),
            "systemic_issues": len(result.themes.systemic),
        }
    fu = result.funnel
    if fu is not None and "appeals" in result.sections:
        data["appeals"] = {
            "total": fu.appeals_total.as_dict(),
            "by_subject": _figures(fu.by_subject),
            "by_channel": _figures(fu.by_channel),
        }
    if fu is not None and "funnel" in result.sections:
        data["funnel"] = {"allegations": _figures(fu.allegations), "cases": _figures(fu.cases)}
    if fu is not None and "accountability" in result.sections and fu.accountability_total:
        data["accountability"] = {
            "total": fu.accountability_total.as_dict(),
            "by_initiative": _figures(fu.accountability),
        }
    if "incidents" in result.sections:
        data["incidents"] = _figures(result.incidents)
    return data


def _rate_field() -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        coerce_to_string=False,
        allow_null=True,
        help_text=_("Implemented of issued, in per cent, one decimal."),
    )


class VisitStatisticsSerializer(serializers.Serializer[Any]):
    total = FigureSerializer()
    institutions = FigureSerializer()
    by_type = FigureSerializer(many=True)
    by_mode = FigureSerializer(many=True)
    by_agency = FigureSerializer(
        many=True, help_text=_("A visit to places of two agencies counts under each.")
    )
    by_region = FigureSerializer(many=True)


class CoverageStatisticsSerializer(serializers.Serializer[Any]):
    years = serializers.IntegerField(help_text=_("The years of `not_visited`."))
    institutions = FigureSerializer(help_text=_("Institutions in operation."))
    covered = FigureSerializer()
    never_visited = FigureSerializer()
    not_visited = FigureSerializer()


class AgencyTallySerializer(serializers.Serializer[Any]):
    agency = serializers.CharField(help_text=_("The agency's code."))
    label = serializers.CharField()  # type: ignore[assignment]  # the field, not Field.label
    implementation_rate = _rate_field()
    figures = FigureSerializer(many=True)


class TrendPointSerializer(serializers.Serializer[Any]):
    agency = serializers.CharField(help_text=_("The agency's code."))
    label = serializers.CharField()  # type: ignore[assignment]  # the field, not Field.label
    year = serializers.IntegerField()
    issued = serializers.IntegerField()
    implemented = serializers.IntegerField()
    implementation_rate = _rate_field()


class RecommendationStatisticsSerializer(serializers.Serializer[Any]):
    implementation_rate = _rate_field()
    figures = FigureSerializer(many=True, help_text=_("The official tally."))
    escalated = FigureSerializer()
    by_agency = AgencyTallySerializer(many=True)
    trend = TrendPointSerializer(many=True)


class ThemeStatisticsSerializer(serializers.Serializer[Any]):
    by_theme = FigureSerializer(many=True)
    systemic_issues = serializers.IntegerField(help_text=_("How many systemic issues."))


class AppealStatisticsSerializer(serializers.Serializer[Any]):
    total = FigureSerializer()
    by_subject = FigureSerializer(many=True)
    by_channel = FigureSerializer(many=True)


class FunnelStatisticsSerializer(serializers.Serializer[Any]):
    allegations = FigureSerializer(many=True)
    cases = FigureSerializer(many=True)


class AccountabilityStatisticsSerializer(serializers.Serializer[Any]):
    total = FigureSerializer()
    by_initiative = FigureSerializer(many=True)


class StatisticsSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(allow_null=True)
    region = serializers.CharField(allow_null=True)
    agency = serializers.CharField(allow_null=True)
    institution_type = serializers.CharField(allow_null=True)
    sections = serializers.ListField(
        child=serializers.ChoiceField(choices=list(SECTIONS)),
        help_text=_("The sections you may see; the others are null."),
    )
    visits = VisitStatisticsSerializer(allow_null=True)
    coverage = CoverageStatisticsSerializer(allow_null=True)
    recommendations = RecommendationStatisticsSerializer(allow_null=True)
    themes = ThemeStatisticsSerializer(allow_null=True)
    appeals = AppealStatisticsSerializer(allow_null=True)
    funnel = FunnelStatisticsSerializer(allow_null=True)
    accountability = AccountabilityStatisticsSerializer(allow_null=True)
    incidents = FigureSerializer(many=True, allow_null=True)


class StatisticsViewSet(VigilViewSetMixin, viewsets.ViewSet):
    """The figures of the dashboard."""

    answers_one_object = True  # one object of figures, not a list (see vigil/api/schema.py)

    permission_classes = [CanViewStatistics]

    @extend_schema(
        summary=_("Statistics of the dashboard"),
        parameters=[
            OpenApiParameter(
                "year",
                OpenApiTypes.INT,
                description=_("Year; the current one if left out, every year if empty."),
            ),
            OpenApiParameter("region", str, description=_("Region code.")),
            OpenApiParameter("agency", str, description=_("Agency code; with sub-units.")),
            OpenApiParameter("institution_type", str, description=_("Institution type code.")),
        ],
        responses={
            200: StatisticsSerializer,
            400: OpenApiResponse(ErrorSerializer, description=_("A malformed filter.")),
            403: OpenApiResponse(ErrorSerializer, description=_("Not for your account.")),
            404: OpenApiResponse(
                ErrorSerializer,
                description=_("A region or agency that does not exist or is not yours to see."),
            ),
        },
    )
    def list(self, request: Request) -> Response:
        data = request.query_params.copy()
        if "year" not in data:
            data["year"] = str(timezone.localdate().year)
        for name, allowed in (
            ("region", filter_regions_for(self.actor)),
            ("agency", filter_agencies_for(self.actor)),
        ):
            code = data.get(name)
            if code and not allowed.filter(code=code).exists():
                raise exceptions.NotFound
        form = StatisticsFilterForm(data, user=self.actor)
        if not form.is_valid():
            raise exceptions.ValidationError(
                {name: [str(e) for e in errors] for name, errors in form.errors.items()}
            )
        result = statistics(self.actor, form.filters(), dashboard_sections(self.actor))
        return Response(StatisticsSerializer(statistics_as_dict(result)).data)
