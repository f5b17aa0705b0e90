"""API v1: `/api/v1/appeals-funnel/?year=&region=&agency=`: the figures of the funnel page
from the same selector (`..selectors.funnel`), each with its share, base and the list behind
it. Coordinators and auditors: everything; regional representatives: their regions; others
403.
"""

from typing import Any

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

from ..forms.incidents import FunnelFilterForm
from ..permissions import can_view_funnel, funnel_region_in_scope
from ..selectors.funnel import FunnelFilters, funnel, funnel_as_dict


class CanViewFunnel(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return can_view_funnel(request.user)  # type: ignore[arg-type]


class FunnelFigureSerializer(FigureSerializer):
    """A figure of the funnel: its label is called `title`."""

    label = None  # type: ignore[assignment]
    title = serializers.CharField(source="label")


class FunnelSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(allow_null=True)
    region = serializers.CharField(allow_null=True)
    agency = serializers.CharField(allow_null=True)
    appeals = FunnelFigureSerializer()
    by_subject = FunnelFigureSerializer(many=True)
    by_channel = FunnelFigureSerializer(many=True)
    allegations = FunnelFigureSerializer(
        many=True,
        help_text=_(
            "Appeals alleging ill-treatment → referred → registered → in court → convicted, "
            "and terminated for lack of evidence."
        ),
    )
    cases = FunnelFigureSerializer(
        many=True,
        help_text=_(
            "Art. 146 cases reported → registered → in court → convicted, and terminated for "
            "lack of evidence, as shares of those reported."
        ),
    )
    accountability = FunnelFigureSerializer(allow_null=True)
    accountability_by_initiative = FunnelFigureSerializer(many=True)


class AppealsFunnelViewSet(VigilViewSetMixin, viewsets.ViewSet):
    """The funnel of appeals, art. 146 cases and accountability."""

    answers_one_object = True  # one object of figures, not a list (see vigil/api/schema.py)

    permission_classes = [CanViewFunnel]

    @extend_schema(
        summary=_("Funnel of appeals, cases and accountability"),
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, description=_("Year.")),
            OpenApiParameter("region", str, description=_("Region code.")),
            OpenApiParameter("agency", str, description=_("Agency code; with sub-units.")),
        ],
        responses={
            200: FunnelSerializer,
            400: OpenApiResponse(ErrorSerializer, description=_("A malformed filter.")),
            403: OpenApiResponse(ErrorSerializer, description=_("Not for your role.")),
            404: OpenApiResponse(ErrorSerializer, description=_("A region outside your regions.")),
        },
    )
    def list(self, request: Request) -> Response:
        form = FunnelFilterForm(request.query_params)
        if not form.is_valid():
            raise exceptions.ValidationError(
                {name: [str(e) for e in errors] for name, errors in form.errors.items()}
            )
        region = form.cleaned_data.get("region")
        if not funnel_region_in_scope(self.actor, region.pk if region else None):
            raise exceptions.NotFound
        filters = FunnelFilters(
            year=form.cleaned_data.get("year"),
            region=form.cleaned_data.get("region"),
            agency=form.cleaned_data.get("agency"),
        )
        return Response(FunnelSerializer(funnel_as_dict(funnel(self.actor, filters))).data)
