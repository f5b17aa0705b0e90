"""API v1 for the authority's responses and their attachments.

- `/api/v1/recommendations/{recommendation_id}/responses/`: GET lists the responses of a
  recommendation the caller sees; POST submits one (JSON, or multipart with `attachments`
  files). Responses are never changed: PUT, PATCH and DELETE answer 405; a correction is a
  new response naming the one it `corrects`.
- `/api/v1/response-attachments/`: metadata of the files the caller may download, and
  `{id}/download/` (decrypted, logged as an access event).

A liaison's token sees and answers only its agency subtree's recommendations (404 for
anything else); the NPM may record an answer received by letter. Thin edge: writes go
through `response_submit`, reads through the recommendations' permission policy.
"""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from vigil.accounts.models import User
from vigil.api.base import AuthenticatedRequest, VigilViewSet, fetch_or_404
from vigil.api.parsers import JSONParser
from vigil.core.files.api import file_download_schema
from vigil.core.files.responses import file_download_response
from vigil.reference.models import Agency

from ..enums import ClaimedStatus, State
from ..models import Assessment, AuthorityResponse, Recommendation, ResponseAttachment
from ..permissions import recommendations_visible_to, response_attachments_visible_to
from ..selectors.portal import responses_for
from ..services.responses import (
    MAX_ATTACHMENTS,
    MAX_MEASURES_CHARS,
    response_attachment_read,
    response_submit,
)
from .serializers import RecommendationPolicySerializer


def _absolute(request: Request | None, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


# ---------------------------------------------------------------- serializers


class ResponseAttachmentSerializer(serializers.ModelSerializer[ResponseAttachment]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    response = serializers.UUIDField(source="response.public_id", read_only=True)
    file_name = serializers.CharField(
        source="original_name",
        read_only=True,
        help_text=_("A safe name; its extension follows the content."),
    )
    download_url = serializers.SerializerMethodField(
        help_text=_("Where to download the file (each download is logged).")
    )

    class Meta:
        model = ResponseAttachment
        fields = (
            "id",
            "response",
            "file_name",
            "content_type",
            "size",
            "sha256",
            "download_url",
            "created_at",
        )
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, obj: ResponseAttachment) -> str:
        path = reverse("api:response-attachment-download", kwargs={"id": obj.public_id})
        return _absolute(self.context.get("request"), path)


class ResponseAssessmentSerializer(serializers.ModelSerializer[Assessment]):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = Assessment
        fields = ("id", "verdict", "reasons", "created_at")
        read_only_fields = fields


class AuthorityResponseSerializer(
    RecommendationPolicySerializer, serializers.ModelSerializer[AuthorityResponse]
):
    id = serializers.UUIDField(source="public_id", read_only=True)
    recommendation = serializers.UUIDField(source="recommendation.public_id", read_only=True)
    responding_agency = serializers.CharField(
        source="responding_agency.code", read_only=True, help_text=_("Code of the body.")
    )
    responding_agency_name = serializers.CharField(source="responding_agency.name", read_only=True)
    corrects = serializers.UUIDField(
        source="corrects.public_id",
        read_only=True,
        allow_null=True,
        help_text=_("The response this one corrects."),
    )
    corrected_by = serializers.SerializerMethodField(
        help_text=_("The responses that correct this one.")
    )
    submitted_by = serializers.CharField(
        source="submitted_by.full_name",
        read_only=True,
        help_text=_("Who submitted or recorded it; absent for agency liaisons."),
    )
    attachments = ResponseAttachmentSerializer(many=True, read_only=True)
    assessments = ResponseAssessmentSerializer(
        many=True,
        read_only=True,
        help_text=_("The NPM's assessments of this response (accepted, disputed with reasons)."),
    )

    class Meta:
        model = AuthorityResponse
        fields = (
            "id",
            "recommendation",
            "responding_agency",
            "responding_agency_name",
            "letter_number",
            "letter_date",
            "measures",
            "claimed_status",
            "on_time",
            "corrects",
            "corrected_by",
            "submitted_by",
            "attachments",
            "assessments",
            "created_at",
        )
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_corrected_by(self, obj: AuthorityResponse) -> list[str]:
        return [str(c.public_id) for c in obj.corrections.all()]


class ResponseCreateSerializer(serializers.Serializer[Any]):
    responding_agency = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Agency.objects.all(),
        help_text=_(
            "Code of the body that answers: the addressee, a sub-unit or a body above it "
            "(a liaison: within its own agency)."
        ),
    )
    letter_number = serializers.CharField(max_length=60)
    letter_date = serializers.DateField()
    measures = serializers.CharField(max_length=MAX_MEASURES_CHARS)
    claimed_status = serializers.ChoiceField(choices=ClaimedStatus.choices)
    corrects = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text=_("Id of the response of this recommendation that this one corrects."),
    )
    expected_state = serializers.ChoiceField(
        choices=State.choices,
        required=False,
        allow_blank=True,
        help_text=_("The status you saw; refused with 400 if it has changed meanwhile."),
    )
    attachments = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=MAX_ATTACHMENTS,
        help_text=_(
            "Multipart only: evidence files (PDF, DOCX, XLSX, JPEG, PNG), checked by "
            "content, stored encrypted."
        ),
    )


# ---------------------------------------------------------------- responses

RECOMMENDATION_ID = OpenApiParameter(
    "recommendation_id",
    OpenApiTypes.UUID,
    OpenApiParameter.PATH,
    description=_("The recommendation's id."),
)


@extend_schema(parameters=[RECOMMENDATION_ID])
@extend_schema_view(
    list=extend_schema(
        summary=_("List a recommendation's responses"),
        description=_(
            "Oldest first, with attachments and the NPM's assessments. 404 for a "
            "recommendation that does not exist or is not visible."
        ),
    ),
    retrieve=extend_schema(summary=_("Show a response")),
    create=extend_schema(
        summary=_("Submit a response"),
        description=_(
            "The addressee's liaisons (or the NPM recording a letter). JSON, or multipart "
            "with `attachments` files. Moves the recommendation to the status claimed; never "
            "changed afterwards (a correction is a new response with `corrects`). Audited."
        ),
        request={
            "application/json": ResponseCreateSerializer,
            "multipart/form-data": ResponseCreateSerializer,
        },
        responses={201: AuthorityResponseSerializer},
    ),
)
class AuthorityResponseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    VigilViewSet[AuthorityResponse],
):
    """The authority's responses to one recommendation; never edited or deleted."""

    serializer_class = AuthorityResponseSerializer
    parser_classes = [JSONParser, MultiPartParser]
    pagination_class = None

    def _recommendation(self) -> Recommendation:
        if not hasattr(self, "_rec"):
            self._rec = fetch_or_404(
                recommendations_visible_to(self.actor).select_related("addressee", "institution"),
                self.kwargs["recommendation_id"],
            )
        return self._rec

    def visible_to(self, user: User | None) -> QuerySet[AuthorityResponse]:
        if getattr(self, "swagger_fake_view", False):
            return AuthorityResponse.objects.none()
        rec = self._recommendation()
        ids = [r.pk for r in responses_for(user, rec)]
        return (
            AuthorityResponse.objects.filter(pk__in=ids)
            .select_related("recommendation", "responding_agency", "submitted_by", "corrects")
            .prefetch_related("attachments", "corrections", "assessments")
            .order_by("created_at", "pk")
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "create":
            return ResponseCreateSerializer
        return AuthorityResponseSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rec = self._recommendation()
        incoming = ResponseCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        corrects = None
        if data.get("corrects"):
            corrects = rec.responses.filter(public_id=data["corrects"]).first()
            if corrects is None:
                raise exceptions.ValidationError(
                    {"corrects": [_("Choose a response to this recommendation.")]}
                )
        response = response_submit(
            actor=self.actor,
            recommendation=rec,
            responding_agency=data["responding_agency"],
            letter_number=data["letter_number"],
            letter_date=data["letter_date"],
            measures=data["measures"],
            claimed_status=data["claimed_status"],
            attachments=data.get("attachments") or [],
            corrects=corrects,
            expected_state=data.get("expected_state") or None,
            context=self.request_context,
        )
        body = AuthorityResponseSerializer(
            self.get_queryset().get(pk=response.pk), context=self.get_serializer_context()
        ).data
        return Response(body, status=status.HTTP_201_CREATED)


# ---------------------------------------------------------------- attachments


class ResponseAttachmentFilter(django_filters.FilterSet):
    response = django_filters.UUIDFilter(field_name="response__public_id", label=_("Response id"))
    recommendation = django_filters.UUIDFilter(
        field_name="response__recommendation__public_id", label=_("Recommendation id")
    )

    class Meta:
        model = ResponseAttachment
        fields = ("response", "recommendation")


@extend_schema_view(
    list=extend_schema(
        summary=_("List response attachments"),
        description=_("Files of the responses to the recommendations the caller sees."),
    ),
    retrieve=extend_schema(
        summary=_("Show a response attachment's metadata"),
        description=_("404 for a file that does not exist or is not visible."),
    ),
)
class ResponseAttachmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, VigilViewSet[ResponseAttachment]
):
    """Evidence attached to the authority's responses (added only with a response)."""

    serializer_class = ResponseAttachmentSerializer
    filterset_class = ResponseAttachmentFilter

    def visible_to(self, user: User | None) -> QuerySet[ResponseAttachment]:
        return response_attachments_visible_to(user).order_by("created_at", "pk")

    @file_download_schema(_("Download a response attachment"))
    @action(detail=True, methods=["get"])
    def download(self, request: AuthenticatedRequest, id: str | None = None) -> HttpResponse:
        content = response_attachment_read(
            actor=self.actor, attachment=self.get_object(), context=self.request_context
        )
        return file_download_response(content)
