"""API v1: `/api/v1/recommendation-tallies/?agency=CODE&year=YYYY`.

The figures of the tallies page from the same selectors (`..selectors.tallies`): issued,
implemented, in implementation, not accepted, no response, overdue and the implementation
rate, for an agency with its sub-units (and a row per direct sub-unit), for a year of issue.
Without `agency`, all the recommendations the caller sees (a liaison: its own agency).
A liaison asking for an agency outside its subtree gets 404.
"""

from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from vigil.api.base import AuthenticatedRequest, VigilViewSetMixin
from vigil.api.exceptions import ErrorSerializer
from vigil.reference.models import Agency

from ..deadlines import DeadlineWindow
from ..permissions import can_view_recommendation_list, default_tally_agency
from ..selectors.tallies import TallyCounts, agency_tally, agency_tally_table, tally_agency


class CanViewRecommendations(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return can_view_recommendation_list(request.user)  # type: ignore[arg-type]


class _FiguresSerializer(serializers.Serializer[Any]):
    agency = serializers.CharField(
        allow_null=True, help_text=_("The agency's code (null: all agencies you see).")
    )
    agency_name = serializers.CharField(allow_null=True)
    year = serializers.IntegerField(allow_null=True, help_text=_("Year of issue (null: all)."))
    issued = serializers.IntegerField(help_text=_("Every recommendation that left the NPM."))
    implemented = serializers.IntegerField()
    in_implementation = serializers.IntegerField()
    not_accepted = serializers.IntegerField()
    no_response = serializers.IntegerField()
    overdue = serializers.IntegerField(
        help_text=_("Past the deadline in working days, the answer or implementation owed.")
    )
    implementation_rate = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        coerce_to_string=False,
        allow_null=True,
        help_text=_("Implemented / issued, in per cent, one decimal (null when none issued)."),
    )


class TallySerializer(_FiguresSerializer):
    sub_units = _FiguresSerializer(
        many=True, help_text=_("The same figures for each direct sub-unit (its own subtree).")
    )


def _figures(agency: Agency | None, year: int | None, counts: TallyCounts) -> dict[str, Any]:
    return {
        "agency": agency.code if agency is not None else None,
        "agency_name": agency.name if agency is not None else None,
        "year": year,
        **counts.as_dict(),
    }


def _year(value: str | None) -> int | None:
    if not value:
        return None
    try:
        year = int(value)
    except ValueError:
        raise exceptions.ValidationError({"year": [_("Give the year as four digits.")]}) from None
    if not 1900 <= year <= 2999:
        raise exceptions.ValidationError({"year": [_("Give a year between 1900 and 2999.")]})
    return year


class RecommendationTallyViewSet(VigilViewSetMixin, viewsets.ViewSet):
    """Tallies of recommendations per agency (with its sub-units) and year."""

    answers_one_object = True  # one object of figures, not a list (see vigil/api/schema.py)

    permission_classes = [CanViewRecommendations]

    @extend_schema(
        summary=_("Tally of recommendations"),
        description=_(
            "Issued, implemented, in implementation, not accepted, no response, overdue and "
            "the implementation rate for an agency with its sub-units and a year of issue, "
            "with the same figures for each direct sub-unit. States are mapped to the "
            "official three-way tally in one place (`vigil/recommendations/tally.py`)."
        ),
        parameters=[
            OpenApiParameter("agency", str, description=_("Agency code; includes its sub-units.")),
            OpenApiParameter("year", OpenApiTypes.INT, description=_("Year of issue.")),
        ],
        responses={
            200: TallySerializer,
            400: OpenApiResponse(ErrorSerializer, description=_("A malformed year.")),
            404: OpenApiResponse(
                ErrorSerializer, description=_("No such agency, or not visible to you.")
            ),
        },
    )
    def list(self, request: AuthenticatedRequest) -> Response:
        user = self.actor
        try:
            agency = tally_agency(user, request.query_params.get("agency"))
        except Http404:
            raise exceptions.NotFound() from None
        if agency is None:
            agency = default_tally_agency(user)
        year = _year(request.query_params.get("year"))
        window = DeadlineWindow.on()
        if agency is None:
            body = _figures(None, year, agency_tally(user, None, year, window=window))
            body["sub_units"] = []
        else:
            row = agency_tally_table(user, [agency], year, window=window)[0]
            body = _figures(agency, year, row.counts)
            body["sub_units"] = [_figures(sub.agency, year, sub.counts) for sub in row.sub_units]
        return Response(TallySerializer(body).data)
