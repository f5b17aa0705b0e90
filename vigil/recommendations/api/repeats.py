"""API v1: `/api/v1/recommendation-repeats/?text=…&theme=T2&institution=<id>&agency=CODE`.

The earlier recommendations a new text resembles (same theme, same institution or agency
subtree, similar text in kk / ru / en), best first, with their similarity score — what the
recommendation form proposes to link as a repeat. For those who draft recommendations.
"""

import uuid
from typing import Any

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
from vigil.registry.permissions import institutions_visible_to
from vigil.visits.enums import Theme

from ..permissions import can_create_recommendation, recommendations_visible_to
from ..services.repeats import SimilarRecommendation, similar_recommendations

MAX_LIMIT = 20


class CanDraft(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return can_create_recommendation(request.user)  # type: ignore[arg-type]


class SimilarSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="recommendation.public_id")
    reference = serializers.CharField(source="recommendation.reference")
    score = serializers.FloatField(help_text=_("Similarity from 0 to 1."))
    state = serializers.CharField(source="recommendation.state")
    theme = serializers.CharField(source="recommendation.theme")
    addressee = serializers.CharField(source="recommendation.addressee.code")
    institution = serializers.UUIDField(
        source="recommendation.institution.public_id", allow_null=True, default=None
    )
    issued_on = serializers.DateField(source="recommendation.issued_on", allow_null=True)
    text = serializers.CharField(source="recommendation.text")


def _uuid(value: str | None, field: str) -> uuid.UUID | None:
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise exceptions.ValidationError({field: [_("Give an id.")]}) from None


class RecommendationRepeatViewSet(VigilViewSetMixin, viewsets.ViewSet):
    """Possible repeats of a recommendation being drafted."""

    permission_classes = [CanDraft]

    @extend_schema(
        summary=_("Possible repeats"),
        description=_(
            "Earlier issued recommendations on the same theme for the institution or the "
            "agency's subtree whose text resembles `text` (character n-grams and a kk/ru/en "
            "glossary of domain terms), best first, above the similarity threshold."
        ),
        parameters=[
            OpenApiParameter("text", str, required=True),
            OpenApiParameter("theme", str, required=True, enum=list(Theme.values)),
            OpenApiParameter("institution", OpenApiTypes.UUID),
            OpenApiParameter("agency", str, description=_("The addressee's code.")),
            OpenApiParameter(
                "exclude",
                OpenApiTypes.UUID,
                description=_("A recommendation to leave out (the one being edited)."),
            ),
            OpenApiParameter("limit", OpenApiTypes.INT, description=_("At most 20; default 5.")),
        ],
        responses={
            200: SimilarSerializer(many=True),
            400: OpenApiResponse(ErrorSerializer, description=_("Invalid parameters.")),
            404: OpenApiResponse(
                ErrorSerializer, description=_("No such institution or agency you can see.")
            ),
        },
    )
    def list(self, request: AuthenticatedRequest) -> Response:
        user = self.actor
        params = request.query_params
        errors: dict[str, list[Any]] = {}
        text = (params.get("text") or "").strip()
        theme = params.get("theme") or ""
        if not text:
            errors["text"] = [_("Give the text of the recommendation.")]
        if theme not in Theme.values:
            errors["theme"] = [_("Give a theme, T1 to T8.")]
        institution = None
        key = _uuid(params.get("institution"), "institution")
        if key is not None:
            institution = institutions_visible_to(user).filter(public_id=key).first()
            if institution is None:  # missing or not visible: 404, like a lookup
                raise exceptions.NotFound()
        agency = None
        if params.get("agency"):
            agency = Agency.objects.filter(code=params["agency"]).first()
            if agency is None:
                raise exceptions.NotFound()
        if institution is None and agency is None:
            errors.setdefault("agency", []).append(_("Give an institution or an agency."))
        try:
            limit = min(MAX_LIMIT, max(1, int(params.get("limit") or 5)))
        except ValueError:
            errors["limit"] = [_("Give a whole number.")]
            limit = 5
        if errors:
            raise exceptions.ValidationError(errors)
        exclude_key = _uuid(params.get("exclude"), "exclude")
        exclude = (
            list(
                recommendations_visible_to(user)
                .filter(public_id=exclude_key)
                .values_list("pk", flat=True)
            )
            if exclude_key
            else []
        )
        found: list[SimilarRecommendation] = similar_recommendations(
            text, theme, institution, agency, limit, user=user, exclude=exclude
        )
        return Response(SimilarSerializer(found, many=True).data)
