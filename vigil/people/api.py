"""API v1 for NPM participants: /api/v1/participants/ (registered by vigil.visits.api.visits).

Thin edge: reads from `participants_visible_to`, writes through the people services
(validated and audited there), permissions from `people/permissions.py`.
"""

from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
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
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from vigil.accounts.models import User
from vigil.api.base import AuthenticatedRequest, VigilViewSet, fetch_or_404
from vigil.core.collation import SortKey
from vigil.reference.models import Agency, Region
from vigil.registry.models import Institution

from .enums import Profession
from .models import ConflictDeclaration, Participant, ParticipantAbsence, TrainingRecord
from .permissions import (
    can_declare_conflict,
    can_manage_participants,
    can_read_participants,
    participants_visible_to,
)
from .selectors import ParticipantFilter
from .services import (
    conflict_declare,
    conflict_update,
    participant_create,
    participant_update,
    training_record,
)


class ParticipantAccess(BasePermission):
    """Reads for those who see participants (monitors: their own record); writes for
    coordinators and administrators (a conflict also for the participant themself)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not can_read_participants(request.user):  # type: ignore[arg-type]
            return False
        if getattr(view, "action", None) in ("create", "partial_update", "trainings"):
            return can_manage_participants(request.user)  # type: ignore[arg-type]
        return True


class TrainingSerializer(serializers.ModelSerializer[TrainingRecord]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    hours = serializers.IntegerField(min_value=0, max_value=10_000, required=False, allow_null=True)

    class Meta:
        model = TrainingRecord
        fields = ("id", "title", "provider", "completed_on", "hours")


class AbsenceSerializer(serializers.ModelSerializer[ParticipantAbsence]):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = ParticipantAbsence
        fields = ("id", "starts_on", "ends_on")
        read_only_fields = fields


class ConflictSerializer(serializers.ModelSerializer[ConflictDeclaration]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    institution = serializers.SlugRelatedField(
        slug_field="public_id",
        queryset=Institution.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Id of the institution concerned."),
    )
    institution_name = serializers.CharField(
        source="institution.name", read_only=True, allow_null=True, default=None
    )
    agency = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Agency.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Code of the agency concerned; covers its institutions and sub-units."),
    )

    class Meta:
        model = ConflictDeclaration
        fields = (
            "id",
            "kind",
            "institution",
            "institution_name",
            "agency",
            "description",
            "declared_on",
            "ends_on",
        )


class ParticipantSerializer(serializers.ModelSerializer[Participant]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    url = serializers.HyperlinkedIdentityField(
        view_name="api:participant-detail", lookup_field="public_id", lookup_url_kwarg="id"
    )
    html_url = serializers.SerializerMethodField(help_text=_("The participant's page."))
    account = serializers.SlugRelatedField(
        slug_field="public_id",
        queryset=User.objects.all(),
        source="user",
        help_text=_("Id of the user account; set when the participant is created."),
    )
    name = serializers.CharField(source="user.full_name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    region = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Code of the participant's region."),
    )
    accredited_now = serializers.SerializerMethodField(
        help_text=_("Whether the accreditation covers today.")
    )
    trainings = TrainingSerializer(many=True, read_only=True)
    conflicts = ConflictSerializer(many=True, read_only=True)
    absences = AbsenceSerializer(
        many=True,
        read_only=True,
        help_text=_(
            "Periods unavailable for visits, both days included (added and removed on the "
            "participant's page)."
        ),
    )

    class Meta:
        model = Participant
        fields = (
            "id",
            "url",
            "html_url",
            "account",
            "name",
            "email",
            "profession",
            "region",
            "organisation",
            "accredited_from",
            "accredited_to",
            "accredited_now",
            "notes",
            "visits_per_year",
            "trainings",
            "conflicts",
            "absences",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("created_at", "updated_at")

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, obj: Participant) -> str:
        path = reverse("people:participant_detail", kwargs={"public_id": obj.public_id})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_accredited_now(self, obj: Participant) -> bool:
        return obj.is_accredited_on(timezone.localdate())

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None and "user" in attrs:
            raise serializers.ValidationError(
                {"account": _("The account of a participant cannot be changed.")}
            )
        return attrs


@extend_schema_view(
    list=extend_schema(
        summary=_("List NPM participants"),
        description=_(
            "Coordinators, administrators and auditors: all; regional representatives: "
            "their regions; monitors: their own record. Agency liaisons: 403."
        ),
        parameters=[
            OpenApiParameter("search", str, description=_("Part of the name or e-mail.")),
            OpenApiParameter("profession", str, enum=Profession.values),
            OpenApiParameter("region", str, description=_("Region code, e.g. KZ-71.")),
            OpenApiParameter(
                "accredited_now", bool, description=_("Accredited today (true) or not (false).")
            ),
            OpenApiParameter(
                "active", bool, description=_("Account active (true) or deactivated (false).")
            ),
            OpenApiParameter(
                "ordering",
                str,
                description=_(
                    "Sort by name, profession, region or accredited (the start of the "
                    "accreditation); a leading - for descending. Default: by name."
                ),
            ),
        ],
    ),
    retrieve=extend_schema(summary=_("Show a participant, with training and conflicts")),
    create=extend_schema(
        summary=_("Make an account an NPM participant"),
        description=_("Coordinators and administrators. Validated and audited."),
    ),
    partial_update=extend_schema(summary=_("Change a participant's data")),
)
class ParticipantViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    VigilViewSet[Participant],
):
    """NPM participants: profession, region, accreditation, training, conflicts of interest."""

    serializer_class = ParticipantSerializer
    permission_classes = [ParticipantAccess]
    filterset_class = ParticipantFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def visible_to(self, user: User | None) -> QuerySet[Participant]:
        return (
            participants_visible_to(user)
            .select_related("user", "region")
            .prefetch_related(
                "trainings", "absences", "conflicts__institution", "conflicts__agency"
            )
            .order_by(SortKey("user__full_name"), "pk")
        )

    def perform_create(self, serializer: serializers.BaseSerializer[Participant]) -> None:
        data = dict(serializer.validated_data)
        account = data.pop("user", None)
        try:
            serializer.instance = participant_create(
                actor=self.actor, user=account, data=data, context=self.request_context
            )
        except DjangoValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise
            raise serializers.ValidationError(
                {("account" if k == "user" else k): v for k, v in exc.message_dict.items()}
            ) from None

    def perform_update(self, serializer: serializers.BaseSerializer[Participant]) -> None:
        participant_update(
            actor=self.actor,
            participant=cast(Participant, serializer.instance),
            data=dict(serializer.validated_data),
            context=self.request_context,
        )
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)  # type: ignore[union-attr]

    @extend_schema(
        summary=_("Record a training"),
        request=TrainingSerializer,
        responses={201: TrainingSerializer},
    )
    @action(detail=True, methods=["post"])
    def trainings(self, request: AuthenticatedRequest, id: str) -> Response:
        participant = self.get_object()
        serializer = TrainingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        training = training_record(
            actor=self.actor,
            participant=participant,
            data=dict(serializer.validated_data),
            context=self.request_context,
        )
        return Response(TrainingSerializer(training).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Declare a conflict of interest"),
        description=_(
            "Coordinators and administrators, or the participant themself. Name the "
            "institution or the agency (which covers its institutions and sub-units)."
        ),
        request=ConflictSerializer,
        responses={201: ConflictSerializer},
    )
    @action(detail=True, methods=["post"])
    def conflicts(self, request: AuthenticatedRequest, id: str) -> Response:
        participant = self.get_object()
        if not can_declare_conflict(self.actor, participant):
            raise exceptions.PermissionDenied()
        serializer = ConflictSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        conflict = conflict_declare(
            actor=self.actor,
            participant=participant,
            data=dict(serializer.validated_data),
            context=self.request_context,
        )
        return Response(ConflictSerializer(conflict).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Change a conflict of interest"),
        description=_(
            "E.g. the day from which it no longer applies. Coordinators and administrators."
        ),
        request=ConflictSerializer,
        responses={200: ConflictSerializer},
        parameters=[OpenApiParameter("conflict_id", OpenApiTypes.UUID, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["patch"],
        url_path=r"conflicts/(?P<conflict_id>[^/.]+)",
        url_name="conflict-detail",
    )
    def conflict_detail(self, request: AuthenticatedRequest, id: str, conflict_id: str) -> Response:
        participant = self.get_object()
        if not can_manage_participants(self.actor):
            raise exceptions.PermissionDenied()
        conflict = fetch_or_404(participant.conflicts.all(), conflict_id)
        serializer = ConflictSerializer(conflict, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        with self.denied_as(exceptions.PermissionDenied.default_detail):
            conflict_update(
                actor=self.actor,
                conflict=conflict,
                data=dict(serializer.validated_data),
                context=self.request_context,
            )
        conflict.refresh_from_db()
        return Response(ConflictSerializer(conflict).data)
