"""API v1 for escalations: `/api/v1/recommendation-escalations/`.

- `GET /` the individualised recommendations (source `escalation`) the caller sees, with the
  originals they take up; `GET /{id}/` one of them;
- `POST /` escalate one or several overdue, refused or repeatedly unimplemented
  recommendations of one addressee to a higher level (coordinators); `GET /candidates/` the
  recommendations that qualify, with the reasons;
- `GET /{id}/letter/pdf/` and `/{id}/letter/docx/` (`?language=kk|ru|en`) the letter, audited.

Thin edge over `..services.escalation`; what is not visible answers 404.
"""

import datetime
from typing import Any, cast

from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from vigil.accounts.models import User
from vigil.api.base import (
    UUID_PATTERN,
    AuthenticatedRequest,
    VigilViewSet,
    nested_rows,
    request_user,
)
from vigil.api.exceptions import ErrorSerializer
from vigil.reference.models import Agency

from ..deadlines import DeadlineWindow
from ..enums import Level, Source
from ..models import Recommendation
from ..permissions import (
    can_download_escalation_letter,
    can_escalate_recommendations,
    can_view_recommendation_list,
    recommendations_visible_to,
)
from ..selectors.core import recommendation_list
from ..services.escalation import (
    LETTER_CONTENT_TYPES,
    LETTER_LANGUAGES,
    LetterFormat,
    escalation_candidates,
    escalation_letter_export,
    escalation_reasons,
    letter_language,
    recommendations_escalate,
)
from .serializers import RecommendationField, RecommendationSerializer

_LETTER_HELP = _(
    "The letter in kk, ru or en (default: the language chosen when escalating): the addressee, "
    "the reference, the originals with the authority's answers, the request and the signature "
    "block. Each download is audited."
)
_LANGUAGE_PARAMETER = OpenApiParameter(
    "language", str, enum=list(LETTER_LANGUAGES), description=_("Language of the letter.")
)


class CanViewRecommendations(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        if not can_view_recommendation_list(request.user):  # type: ignore[arg-type]
            return False
        if getattr(view, "action", None) in ("create", "candidates"):
            return can_escalate_recommendations(request.user)  # type: ignore[arg-type]
        return True


class OriginalSerializer(serializers.ModelSerializer[Recommendation]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    addressee = serializers.SlugRelatedField[Agency](slug_field="code", read_only=True)

    class Meta:
        model = Recommendation
        fields = ("id", "reference", "addressee", "state", "issued_on", "deadline")
        read_only_fields = fields


class EscalationSerializer(RecommendationSerializer):
    escalates = serializers.SerializerMethodField(
        help_text=_("The original recommendations this one takes up (those the caller sees).")
    )
    letter_language = serializers.SerializerMethodField(
        help_text=_("The language chosen for the letter when escalating.")
    )
    letter_url = serializers.SerializerMethodField(help_text=_("The letter as PDF (API)."))

    class Meta(RecommendationSerializer.Meta):
        fields: tuple[str, ...] = (  # type: ignore[assignment]
            *RecommendationSerializer.Meta.fields,
            "escalates",
            "letter_language",
            "letter_url",
        )
        read_only_fields = fields  # type: ignore[assignment]

    @extend_schema_field(OriginalSerializer(many=True))
    def get_escalates(self, obj: Recommendation) -> list[dict[str, Any]]:
        visible = self._visible_originals(obj)
        originals = sorted(
            (rec for rec in obj.escalates.all() if rec.pk in visible),
            key=lambda rec: (rec.issued_on or datetime.date.min, rec.pk),
        )
        return nested_rows(self, OriginalSerializer, originals)

    def _visible_originals(self, obj: Recommendation) -> set[int]:
        """The originals the caller sees, for the whole page at once (one query)."""
        cached = self.context.get("_visible_originals")
        if cached is not None and all(rec.pk in cached[1] for rec in obj.escalates.all()):
            return set(cached[0])
        parent = self.parent
        page = parent.instance if isinstance(parent, serializers.ListSerializer) else None
        objs: list[Recommendation] = list(page) if page is not None else [obj]
        ids = {rec.pk for item in objs for rec in item.escalates.all()}
        visible = set(
            recommendations_visible_to(request_user(self.context))
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        )
        cast(dict[str, Any], self.context)["_visible_originals"] = (visible, ids)
        return visible

    def get_letter_language(self, obj: Recommendation) -> str:
        return letter_language(obj)

    @extend_schema_field(OpenApiTypes.URI)
    def get_letter_url(self, obj: Recommendation) -> str:
        path = reverse("api:recommendation-escalation-letter-pdf", kwargs={"id": obj.public_id})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class CandidateSerializer(OriginalSerializer):
    reasons = serializers.ListField(
        child=serializers.CharField(),
        help_text=_(
            "Why it may be escalated: overdue, no_response, not_accepted, repeatedly_unimplemented."
        ),
    )

    class Meta(OriginalSerializer.Meta):
        fields: tuple[str, ...] = (*OriginalSerializer.Meta.fields, "reasons")  # type: ignore[assignment]
        read_only_fields = fields  # type: ignore[assignment]


class EscalateSerializer(serializers.Serializer[Any]):
    recommendations = serializers.ListField(
        child=RecommendationField(),
        min_length=1,
        max_length=200,
        help_text=_("Ids of the recommendations to escalate, all to the same addressee."),
    )
    target = serializers.SlugRelatedField[Agency](
        slug_field="code",
        queryset=Agency.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Code of the higher agency (default: the next level up)."),
    )
    level = serializers.ChoiceField(choices=Level.choices, default=Level.SYSTEMIC)
    text = serializers.CharField(help_text=_("What the higher authority is asked to do."))
    indicator = serializers.CharField(required=False, allow_blank=True, default="")
    deadline = serializers.DateField(
        required=False, allow_null=True, help_text=_("Default: the usual working days from today.")
    )
    language = serializers.ChoiceField(
        choices=[(code, code) for code in LETTER_LANGUAGES],
        help_text=_("Language of the letter."),
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_view(
    list=extend_schema(
        summary=_("Escalations"),
        description=_(
            "Individualised recommendations (source escalation) the caller sees, with the "
            "originals they take up."
        ),
    ),
    retrieve=extend_schema(summary=_("An escalation")),
)
class RecommendationEscalationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    VigilViewSet[Recommendation],
):
    """Escalation of recommendations to the next level up, and its letter."""

    serializer_class = EscalationSerializer
    permission_classes = [CanViewRecommendations]
    lookup_value_regex = UUID_PATTERN

    def visible_to(self, user: User | None) -> QuerySet[Recommendation]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator: no database
            return Recommendation.objects.none()
        return (
            recommendation_list(user)
            .filter(source=Source.ESCALATION)
            .prefetch_related(
                "findings",
                "events",
                Prefetch(
                    "escalates",
                    queryset=Recommendation.objects.select_related("addressee", "institution"),
                ),
            )
            .order_by("-issued_on", "-id")
        )

    @extend_schema(
        summary=_("Escalate"),
        description=_(
            "Coordinators. Escalates overdue, not accepted or repeatedly unimplemented "
            "recommendations of one addressee in one action: an individualised "
            "recommendation is issued to the higher level, linked to the originals, which "
            "become escalated. All or nothing; audited."
        ),
        request=EscalateSerializer,
        responses={201: EscalationSerializer},
    )
    def create(self, request: Request) -> Response:
        serializer = EscalateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        escalation = recommendations_escalate(
            actor=self.actor,
            recommendations=list(dict.fromkeys(data["recommendations"])),
            target=data.get("target"),
            level=data["level"],
            text=data["text"],
            indicator=data.get("indicator") or "",
            deadline=data.get("deadline"),
            language=data["language"],
            note=data.get("note") or "",
            link_base=request.build_absolute_uri("/").rstrip("/"),
            context=self.request_context,
        )
        fresh = self.get_queryset().get(pk=escalation.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Recommendations that may be escalated"),
        description=_(
            "Coordinators: overdue, not accepted and repeatedly unimplemented recommendations, "
            "with the reasons. `?agency=CODE` keeps those addressed to that agency."
        ),
        parameters=[OpenApiParameter("agency", str, description=_("The addressee's code."))],
        responses={200: CandidateSerializer(many=True)},
    )
    @action(detail=False, methods=["get"])
    def candidates(self, request: AuthenticatedRequest) -> Response:
        window = DeadlineWindow.on()
        qs = escalation_candidates(self.actor, window=window)
        code = request.query_params.get("agency")
        if code:
            qs = qs.filter(addressee__code=code)
        page = self.paginate_queryset(qs)
        rows = page if page is not None else list(qs)
        for rec in rows:
            rec.reasons = escalation_reasons(rec, window)  # type: ignore[attr-defined]
        data = CandidateSerializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def _letter(self, request: Request, fmt: LetterFormat) -> HttpResponse:
        rec = self.get_object()
        if not can_download_escalation_letter(self.actor, rec):
            raise exceptions.NotFound()
        language = request.query_params.get("language") or None
        if language is not None and language not in LETTER_LANGUAGES:
            raise exceptions.ValidationError({"language": [_("Choose kk, ru or en.")]})
        content = escalation_letter_export(
            actor=self.actor,
            escalation=rec,
            fmt=fmt,
            language=language,
            context=self.request_context,
        )
        name = f"{rec.reference}-{language or letter_language(rec)}.{fmt.value}"
        response = HttpResponse(content, content_type=LETTER_CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(
        summary=_("The escalation letter as PDF"),
        description=_LETTER_HELP,
        parameters=[_LANGUAGE_PARAMETER],
        responses={
            (200, LETTER_CONTENT_TYPES[LetterFormat.PDF]): OpenApiResponse(OpenApiTypes.BINARY),
            400: OpenApiResponse(ErrorSerializer, description=_("Unknown language.")),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="letter/pdf",
        url_name="letter-pdf",
        filter_backends=[],
        pagination_class=None,
    )
    def letter_pdf(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._letter(request, LetterFormat.PDF)

    @extend_schema(
        summary=_("The escalation letter as DOCX"),
        description=_LETTER_HELP,
        parameters=[_LANGUAGE_PARAMETER],
        responses={
            (200, LETTER_CONTENT_TYPES[LetterFormat.DOCX]): OpenApiResponse(OpenApiTypes.BINARY),
            400: OpenApiResponse(ErrorSerializer, description=_("Unknown language.")),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="letter/docx",
        url_name="letter-docx",
        filter_backends=[],
        pagination_class=None,
    )
    def letter_docx(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._letter(request, LetterFormat.DOCX)
