"""API v1 for interviews: metadata in lists and details, content and identity only through
explicit, logged POSTs (`content/`, `unseal/`), same services and permissions as the pages.

Agency liaisons and administrators see no interview; monitors only those of their teams'
visits; regional representatives those of their regions; auditors the metadata of all of them
but never the content or the identity.
"""

from typing import Any, cast

import django_filters
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from vigil.accounts.models import User
from vigil.api.base import AuthenticatedRequest, VigilViewSet, request_user
from vigil.audit.enums import AccessKind
from vigil.core.sealing import MAX_IDENTITY_CHARS, MAX_REASON_CHARS
from vigil.registry.models import Institution

from ..enums import ConsentScope, IntervieweeCategory, ReprisalRisk, Vulnerability
from ..models import Interview, Visit
from ..permissions import (
    can_read_interview,
    can_unseal_identity,
    can_work_on_visit,
    working_material_visible_to,
)
from ..selectors.interviews import interviews_listing
from ..services.interviews import (
    MAX_CONTENT_CHARS,
    identity_unseal,
    interview_create,
    interview_follow_up_done,
    interview_read,
    interview_update,
    interview_withdraw_consent,
)
from .policy import VisitPolicySerializer

METADATA_FIELDS = (
    "conducted_on",
    "category",
    "pseudonym",
    "in_private",
    "present_persons",
    "interpreter_used",
    "consent_scopes",
    "vulnerabilities",
    "alleges_ill_treatment",
    "injuries_seen",
    "reprisal_risk",
    "follow_up_on",
)


@extend_schema_field(OpenApiTypes.UUID)
class _VisitField(serializers.SlugRelatedField):  # type: ignore[type-arg]
    """A visit by its id, among those whose working material the caller may read."""

    def get_queryset(self) -> QuerySet[Visit]:
        return working_material_visible_to(request_user(self.context))


class InterviewAccess(BasePermission):
    """Object rules before any body is read: reading the content and unsealing need
    `can_read_interview` / `can_unseal_identity`; writes also `can_work_on_visit`. Lists and
    metadata are scoped by the queryset (404 outside it). The services check again."""

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        user = request.user
        action_name = getattr(view, "action", None)
        if action_name == "content":
            return can_read_interview(user, obj)  # type: ignore[arg-type]
        if action_name == "unseal":
            return can_unseal_identity(user, obj)  # type: ignore[arg-type]
        if request.method in SAFE_METHODS:
            return True
        return can_work_on_visit(user, obj.visit) and can_read_interview(user, obj)  # type: ignore[arg-type]


class InterviewSerializer(VisitPolicySerializer, serializers.ModelSerializer[Interview]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    url = serializers.HyperlinkedIdentityField(
        view_name="api:interview-detail", lookup_field="public_id", lookup_url_kwarg="id"
    )
    html_url = serializers.SerializerMethodField(help_text=_("The interview's page."))
    visit = _VisitField(
        slug_field="public_id", help_text=_("Id of the visit; cannot be changed later.")
    )
    institution = serializers.SlugRelatedField(
        slug_field="public_id",
        queryset=Institution.objects.all(),
        required=False,
        help_text=_("Id of one of the visit's institutions (optional when it has one)."),
    )
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    conducted_by = serializers.CharField(
        source="conducted_by.full_name", read_only=True, help_text=_("Who recorded it.")
    )
    conducted_on = serializers.DateField(required=False, help_text=_("Default: today."))
    category = serializers.ChoiceField(
        choices=IntervieweeCategory.choices, default=IntervieweeCategory.DETAINEE
    )
    consent_scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=ConsentScope.choices),
        required=False,
        help_text=_("What the interviewee agreed to."),
    )
    vulnerabilities = serializers.ListField(
        child=serializers.ChoiceField(choices=Vulnerability.choices), required=False
    )
    reprisal_risk = serializers.ChoiceField(choices=ReprisalRisk.choices, default=ReprisalRisk.NONE)
    has_identity = serializers.SerializerMethodField(
        help_text=_("Whether a real identity is sealed (read it with `unseal/`).")
    )
    content = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=MAX_CONTENT_CHARS,
        trim_whitespace=False,
        help_text=_(
            "What was said; stored encrypted, never returned here (read it with `content/`). "
            "On update it replaces the content."
        ),
    )
    present_persons = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=300,
        help_text=_(
            "Who else was present when not held in private; stored encrypted, never returned "
            "here (read it with `content/`). On update a non-empty value replaces it."
        ),
    )
    identity = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=MAX_IDENTITY_CHARS,
        help_text=_(
            "The real identity; sealed (encrypted), never returned here. On update a "
            "non-empty value replaces it."
        ),
    )

    class Meta:
        model = Interview
        fields = (
            "id",
            "url",
            "html_url",
            "visit",
            "institution",
            "institution_name",
            "conducted_by",
            *METADATA_FIELDS,
            "consent_withdrawn_on",
            "follow_up_done_on",
            "has_identity",
            "content",
            "identity",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("consent_withdrawn_on", "follow_up_done_on", "created_at", "updated_at")

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, obj: Interview) -> str:
        path = reverse("visits:interview_detail", kwargs={"interview_id": obj.public_id})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_has_identity(self, obj: Interview) -> bool:
        annotated = getattr(obj, "has_identity", None)
        if annotated is not None:
            return bool(annotated)
        return hasattr(obj, "sealed_identity")

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | QuerySet):
            fields["visit"].read_only = True
        return fields


class InterviewContentSerializer(serializers.Serializer[Any]):
    content = serializers.CharField(read_only=True)
    present_persons = serializers.CharField(
        read_only=True, help_text=_("Who else was present (empty: held in private).")
    )


class UnsealRequestSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(
        max_length=MAX_REASON_CHARS, help_text=_("Why the real identity is needed; logged.")
    )


class IdentitySerializer(serializers.Serializer[Any]):
    identity = serializers.CharField(read_only=True)


class OnDateSerializer(serializers.Serializer[Any]):
    on_date = serializers.DateField(required=False, help_text=_("Default: today."))


class InterviewFilter(django_filters.FilterSet):
    visit = django_filters.UUIDFilter(field_name="visit__public_id", label=_("Visit id"))
    institution = django_filters.UUIDFilter(
        field_name="institution__public_id", label=_("Institution id")
    )
    category = django_filters.ChoiceFilter(choices=IntervieweeCategory.choices)
    reprisal_risk = django_filters.ChoiceFilter(choices=ReprisalRisk.choices)
    alleges_ill_treatment = django_filters.BooleanFilter()
    consent_withdrawn = django_filters.BooleanFilter(
        field_name="consent_withdrawn_on", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Interview
        fields = ("visit", "institution", "category", "reprisal_risk", "alleges_ill_treatment")


@extend_schema_view(
    list=extend_schema(
        summary=_("List interviews"),
        description=_(
            "Metadata only (pseudonym, category, flags, consent, follow-up), never the "
            "content or the identity. Scoped: the visit's team, coordinators, regional "
            "representatives in their regions, auditors; nobody else sees any."
        ),
    ),
    retrieve=extend_schema(
        summary=_("Show an interview's metadata"),
        description=_("404 for an interview that does not exist or is not visible."),
    ),
    create=extend_schema(
        summary=_("Record an interview"),
        description=_(
            "The visit's team and planners in scope, once the visit has started. The "
            "content and the identity are stored encrypted; audited without them."
        ),
    ),
    partial_update=extend_schema(
        summary=_("Change an interview"),
        description=_(
            "Metadata; `content` replaces the content, a non-empty `identity` replaces the "
            "sealed identity. Audited without content or identity."
        ),
    ),
)
class InterviewViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    VigilViewSet[Interview],
):
    """Confidential interviews of monitoring visits."""

    denials_logged = True
    denied_kinds = {
        "content": AccessKind.INTERVIEW_READ,
        "unseal": AccessKind.IDENTITY_UNSEALED,
    }

    serializer_class = InterviewSerializer
    permission_classes = [IsAuthenticated, InterviewAccess]
    filterset_class = InterviewFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def visible_to(self, user: User | None) -> QuerySet[Interview]:
        return interviews_listing(user).order_by("-conducted_on", "-pk")

    def perform_create(self, serializer: serializers.BaseSerializer[Interview]) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = interview_create(
            actor=self.actor,
            visit=data["visit"],
            institution=data.get("institution"),
            data={k: v for k, v in data.items() if k in METADATA_FIELDS},
            content=data.get("content", ""),
            identity=data.get("identity", ""),
            context=self.request_context,
        )

    def perform_update(self, serializer: serializers.BaseSerializer[Interview]) -> None:
        data = dict(serializer.validated_data)
        fields = {k: v for k, v in data.items() if k in METADATA_FIELDS}
        if "institution" in data:
            fields["institution"] = data["institution"]
        interview = cast(Interview, serializer.instance)
        interview_update(
            actor=self.actor,
            interview=interview,
            data=fields,
            content=data.get("content"),
            identity=data.get("identity") or None,
            context=self.request_context,
        )
        serializer.instance = self.get_queryset().get(pk=interview.pk)

    @extend_schema(
        summary=_("Read an interview's content"),
        description=_(
            "Returns what was said and who else was present. Each call is logged as an "
            "access event before anything is decrypted (503 when it cannot be); auditors "
            "are refused (403)."
        ),
        request=None,
        responses={200: InterviewContentSerializer},
    )
    @action(detail=True, methods=["post"])
    def content(self, request: AuthenticatedRequest, id: str | None = None) -> Response:
        read = interview_read(
            actor=self.actor, interview=self.get_object(), context=self.request_context
        )
        return _no_store(
            Response({"content": read.content, "present_persons": read.present_persons})
        )

    @extend_schema(
        summary=_("Unseal the interviewee's identity"),
        description=_(
            "Returns the real identity, given a reason. Each unseal is logged with the "
            "reason; coordinators, regional representatives in scope and the visit's team only."
        ),
        request=UnsealRequestSerializer,
        responses={200: IdentitySerializer},
    )
    @action(detail=True, methods=["post"])
    def unseal(self, request: AuthenticatedRequest, id: str | None = None) -> Response:
        interview = self.get_object()
        body = UnsealRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        identity = identity_unseal(
            actor=self.actor,
            interview=interview,
            reason=body.validated_data["reason"],
            context=self.request_context,
        )
        return _no_store(Response({"identity": identity}))

    @extend_schema(
        summary=_("Record that consent was withdrawn"),
        description=_("Final: the interview is left out of every report and export."),
        request=OnDateSerializer,
        responses={200: InterviewSerializer},
    )
    @action(detail=True, methods=["post"], url_path="withdraw-consent")
    def withdraw_consent(self, request: AuthenticatedRequest, id: str | None = None) -> Response:
        interview = self.get_object()
        body = OnDateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        interview_withdraw_consent(
            actor=self.actor,
            interview=interview,
            on_date=body.validated_data.get("on_date"),
            context=self.request_context,
        )
        return self._fresh(interview)

    @extend_schema(
        summary=_("Mark the follow-up contact as made"),
        request=OnDateSerializer,
        responses={200: InterviewSerializer},
    )
    @action(detail=True, methods=["post"], url_path="follow-up-done")
    def follow_up_done(self, request: AuthenticatedRequest, id: str | None = None) -> Response:
        interview = self.get_object()
        body = OnDateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        interview_follow_up_done(
            actor=self.actor,
            interview=interview,
            on_date=body.validated_data.get("on_date"),
            context=self.request_context,
        )
        return self._fresh(interview)

    def _fresh(self, interview: Interview) -> Response:
        fresh = self.get_queryset().get(pk=interview.pk)
        return Response(
            InterviewSerializer(fresh, context=self.get_serializer_context()).data,
            status=status.HTTP_200_OK,
        )


def _no_store(response: Response) -> Response:
    response["Cache-Control"] = "no-store"
    return response
