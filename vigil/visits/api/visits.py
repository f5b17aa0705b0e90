"""API v1 for visits and NPM participants: `register(router)` adds their viewsets.

/api/v1/visits/ — the visits the caller may see (`visits_visible_to`: an agency liaison
never meets a visit that has not started, and sees no planning details of one that has);
planners create and change visits, name the team and move them along their life cycle
(`/transitions/`); the team and planners record access incidents. Everything goes
through the same services as the pages.
"""

import uuid
from typing import Any, cast

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.people.api import ParticipantViewSet
from vigil.people.models import Participant
from vigil.registry.models import Institution
from vigil.registry.permissions import institutions_visible_to

from .. import workflow
from ..enums import (
    AccessIncidentKind,
    Theme,
    TriggerKind,
    VisitMode,
    VisitState,
    VisitType,
)
from ..models import AccessIncident, TeamMember, Visit, VisitTransition
from ..permissions import (
    can_manage_visit,
    can_plan_visits,
    can_record_access_incident,
    can_see_visit_details,
    can_view_visit_details,
    can_view_working_material,
    visits_visible_to,
)
from ..selectors.visits import VisitFilter, visit_history, visits_for_listing
from ..services.visits import (
    access_incident_record,
    visit_create,
    visit_team_set,
    visit_transition,
    visit_update,
)
from .policy import VisitPolicySerializer

# ---------------------------------------------------------------- serializers


class InstitutionRefSerializer(serializers.ModelSerializer[Institution]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    name = serializers.CharField(read_only=True)
    region: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = Institution
        fields = ("id", "name", "region")
        read_only_fields = fields


class TeamMemberSerializer(serializers.ModelSerializer[TeamMember]):
    participant = serializers.UUIDField(source="participant.public_id", read_only=True)
    name = serializers.CharField(source="participant.user.full_name", read_only=True)
    profession = serializers.CharField(source="participant.profession", read_only=True)

    class Meta:
        model = TeamMember
        fields = ("participant", "name", "profession", "is_lead")
        read_only_fields = fields


class VisitDetailsSerializer(VisitPolicySerializer, serializers.ModelSerializer[Visit]):
    """What only the NPM sees: planning details and the team."""

    follow_up_of: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="public_id", read_only=True, help_text=_("Id of the earlier visit.")
    )
    team = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = (
            "title",
            "objectives",
            "announced",
            "planned_start",
            "planned_end",
            "trigger_kind",
            "trigger_reference",
            "trigger_details",
            "follow_up_of",
            "theme",
            "team",
        )
        read_only_fields = fields

    @extend_schema_field(TeamMemberSerializer(many=True))
    def get_team(self, obj: Visit) -> list[dict[str, Any]]:
        team = sorted(obj.team.all(), key=lambda m: (not m.is_lead, m.pk))
        return cast(list[dict[str, Any]], TeamMemberSerializer(team, many=True).data)


class MoveSerializer(serializers.Serializer[Any]):
    to_state = serializers.ChoiceField(choices=VisitState.choices)
    label = serializers.CharField()  # type: ignore[assignment]
    needs_note = serializers.BooleanField()


class VisitSerializer(serializers.ModelSerializer[Visit]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    url = serializers.HyperlinkedIdentityField(
        view_name="api:visit-detail", lookup_field="public_id", lookup_url_kwarg="id"
    )
    html_url = serializers.SerializerMethodField(help_text=_("The visit's page."))
    plan_year = serializers.IntegerField(source="plan.year", read_only=True)
    region: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    institutions = serializers.SerializerMethodField(
        help_text=_("The visit's institutions that the caller may see in the registry.")
    )
    details = serializers.SerializerMethodField(
        help_text=_(
            "Planning details and team; null for agency liaisons, who see only the "
            "institution, the state and the actual dates of a visit that has started."
        )
    )
    allowed_transitions = serializers.SerializerMethodField(
        help_text=_("The moves the caller may make now (POST them to transitions/); null in lists.")
    )

    class Meta:
        model = Visit
        fields = (
            "id",
            "url",
            "html_url",
            "reference",
            "plan_year",
            "type",
            "mode",
            "state",
            "region",
            "institutions",
            "started_at",
            "ended_at",
            "details",
            "allowed_transitions",
        )
        read_only_fields = fields

    def _user(self) -> User | None:
        request = self.context.get("request")
        return cast(User, request.user) if request is not None else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, obj: Visit) -> str:
        path = reverse("visits:visit_detail", kwargs={"public_id": obj.public_id})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    @extend_schema_field(InstitutionRefSerializer(many=True))
    def get_institutions(self, obj: Visit) -> list[dict[str, Any]]:
        cache = getattr(obj, "_prefetched_objects_cache", {})
        if "institutions" in cache:
            shown = list(obj.institutions.all())
        else:
            shown = list(
                obj.institutions.filter(
                    pk__in=institutions_visible_to(self._user()).values("pk")
                ).select_related("region")
            )
        return cast(list[dict[str, Any]], InstitutionRefSerializer(shown, many=True).data)

    @extend_schema_field(VisitDetailsSerializer(allow_null=True))
    def get_details(self, obj: Visit) -> dict[str, Any] | None:
        # Every visit served comes from `visits_visible_to`: what remains is the role rule.
        if not can_see_visit_details(self._user()):
            return None
        return cast(dict[str, Any], VisitDetailsSerializer(obj, context=self.context).data)

    @extend_schema_field(MoveSerializer(many=True, allow_null=True))
    def get_allowed_transitions(self, obj: Visit) -> list[dict[str, Any]] | None:
        user = self._user()
        if self.context.get("listing"):
            return None
        if user is None:
            return []
        return [
            {"to_state": t.target, "label": str(t.label), "needs_note": t.needs_note}
            for t in workflow.available(user, obj)
        ]


class VisitWriteSerializer(serializers.Serializer[Any]):
    """Creating or changing a visit (before it starts)."""

    type = serializers.ChoiceField(choices=VisitType.choices)
    mode = serializers.ChoiceField(choices=VisitMode.choices, default=VisitMode.IN_PERSON)
    announced = serializers.BooleanField(default=False)
    title = serializers.CharField(max_length=300, allow_blank=True, default="")
    objectives = serializers.CharField(allow_blank=True, default="")
    institutions = serializers.ListField(
        child=serializers.UUIDField(),
        min_length=1,
        max_length=50,
        help_text=_("Ids of the institutions; the visit's region is the first one's."),
    )
    planned_start = serializers.DateField()
    planned_end = serializers.DateField(required=False, allow_null=True, default=None)
    trigger_kind = serializers.ChoiceField(
        choices=TriggerKind.choices,
        allow_blank=True,
        default="",
        help_text=_("Special visits: what prompted the visit."),
    )
    trigger_reference = serializers.CharField(max_length=100, allow_blank=True, default="")
    trigger_details = serializers.CharField(allow_blank=True, default="")
    follow_up_of = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Follow-up visits: id of the earlier visit."),
    )
    theme = serializers.ChoiceField(choices=Theme.choices, allow_blank=True, default="")

    def validate_institutions(self, value: list[uuid.UUID]) -> list[Institution]:
        user = self.context["request"].user
        found = {
            i.public_id: i
            for i in institutions_visible_to(user)
            .filter(public_id__in=value)
            .select_related("region")
        }
        missing = [str(v) for v in value if v not in found]
        if missing:
            raise serializers.ValidationError(
                _("No institution you can see has the id %(id)s.") % {"id": missing[0]}
            )
        return [found[v] for v in dict.fromkeys(value)]

    def validate_follow_up_of(self, value: uuid.UUID | None) -> Visit | None:
        if value is None:
            return None
        earlier = visits_visible_to(self.context["request"].user).filter(public_id=value).first()
        if earlier is None:
            raise serializers.ValidationError(_("No visit you can see has this id."))
        return earlier


class TransitionSerializer(VisitPolicySerializer, serializers.ModelSerializer[VisitTransition]):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = VisitTransition
        fields = ("from_state", "to_state", "actor", "occurred_at", "note")
        read_only_fields = fields

    def get_actor(self, obj: VisitTransition) -> str | None:
        return str(obj.actor) if obj.actor_id else None


class TransitionRequestSerializer(serializers.Serializer[Any]):
    to_state = serializers.ChoiceField(choices=VisitState.choices)
    note = serializers.CharField(
        allow_blank=True,
        default="",
        max_length=5000,
        help_text=_("Required for cancelling, postponing and closing an overdue visit."),
    )


class TeamRequestSerializer(serializers.Serializer[Any]):
    members = serializers.ListField(
        child=serializers.UUIDField(), max_length=50, help_text=_("Ids of the participants.")
    )
    lead = serializers.UUIDField(help_text=_("Id of the lead; one of the members."))

    def _participants(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, Participant]:
        """Planners choose among all participants (as on the team page), whatever the
        region; the service checks accreditation and conflicts."""
        return {
            p.public_id: p
            for p in Participant.objects.filter(public_id__in=ids)
            .select_related("user")
            .prefetch_related("conflicts__agency", "conflicts__institution")
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        ids = list(dict.fromkeys([*attrs["members"], attrs["lead"]]))
        found = self._participants(ids)
        missing = [str(v) for v in attrs["members"] if v not in found]
        if missing:
            raise serializers.ValidationError(
                {"members": [_("No participant has the id %(id)s.") % {"id": missing[0]}]}
            )
        if attrs["lead"] not in found:
            raise serializers.ValidationError({"lead": [_("No participant has this id.")]})
        return {
            "members": [found[v] for v in dict.fromkeys(attrs["members"])],
            "lead": found[attrs["lead"]],
        }


class AccessIncidentSerializer(VisitPolicySerializer, serializers.ModelSerializer[AccessIncident]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    kind = serializers.ChoiceField(choices=AccessIncidentKind.choices)
    institution = serializers.SlugRelatedField(
        slug_field="public_id",
        queryset=Institution.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Id of one of the visit's institutions."),
    )
    duration_minutes = serializers.IntegerField(
        min_value=0, max_value=100_000, required=False, allow_null=True
    )
    recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = AccessIncident
        fields = (
            "id",
            "kind",
            "institution",
            "occurred_at",
            "duration_minutes",
            "details",
            "recorded_by",
            "created_at",
        )
        read_only_fields = ("created_at",)

    def get_recorded_by(self, obj: AccessIncident) -> str:
        return str(obj.recorded_by)


# ---------------------------------------------------------------- viewset


class VisitAccess(BasePermission):
    """Any active account may ask; what it sees is `visits_visible_to`. Creating needs the
    right to plan visits; the object-level rules are checked by the services."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if getattr(view, "action", None) == "create":
            return can_plan_visits(user)  # type: ignore[arg-type]
        return True


_DENIED = _("You may not do this with this visit.")


def _denied(exc: DjangoPermissionDenied) -> exceptions.PermissionDenied:
    return exceptions.PermissionDenied(str(exc) if exc.args else _DENIED)


@extend_schema_view(
    list=extend_schema(
        summary=_("List visits"),
        description=_(
            "The visits visible to the caller: coordinators, administrators and auditors "
            "all; regional representatives their regions; monitors the visits whose team "
            "they are on; agency liaisons only visits of their agency that have started "
            "(never a planned visit, its date or its target)."
        ),
        parameters=[
            OpenApiParameter("q", str, description=_("Reference or institution name.")),
            OpenApiParameter("year", int, description=_("Year of the annual plan.")),
            OpenApiParameter("month", int, description=_("Month of the planned start.")),
            OpenApiParameter("state", str, enum=VisitState.values),
            OpenApiParameter("type", str, enum=VisitType.values),
            OpenApiParameter("region", str, description=_("Region code, e.g. KZ-71.")),
        ],
    ),
    retrieve=extend_schema(
        summary=_("Show a visit"),
        description=_("404 for a visit that does not exist or is not visible."),
    ),
)
class VisitViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Visit],
):
    """Monitoring visits: plan, team, life cycle and access incidents."""

    serializer_class = VisitSerializer
    permission_classes = [VisitAccess]
    filterset_class = VisitFilter
    lookup_field = "public_id"
    lookup_url_kwarg = "id"

    def get_queryset(self) -> QuerySet[Visit]:
        return (
            visits_for_listing(self._actor())
            .select_related("follow_up_of")
            .prefetch_related("team__participant__user")
        )

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        context["listing"] = getattr(self, "action", None) == "list"
        return context

    def get_object(self) -> Visit:
        try:
            uuid.UUID(str(self.kwargs[self.lookup_url_kwarg]))
        except ValueError:
            raise exceptions.NotFound() from None
        return super().get_object()  # type: ignore[no-any-return]

    def _actor(self) -> User:
        return cast(User, self.request.user)

    def _ctx(self) -> RequestContext:
        return RequestContext.from_request(self.request)

    def _show(self, visit: Visit, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=visit.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(
        summary=_("Plan a visit"),
        description=_(
            "Coordinators and administrators anywhere, regional representatives in their "
            "regions (every institution's). The visit starts as a draft in its year's plan, "
            "with a reference such as 2026-0042."
        ),
        request=VisitWriteSerializer,
        responses={201: VisitSerializer},
    )
    def create(self, request: Request) -> Response:
        serializer = VisitWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        try:
            visit = visit_create(
                actor=self._actor(), data=dict(serializer.validated_data), context=self._ctx()
            )
        except DjangoPermissionDenied as exc:
            raise _denied(exc) from None
        return self._show(visit, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Change a visit before it starts"),
        description=_("Planners in scope; only fields sent are changed. Validated and audited."),
        request=VisitWriteSerializer(partial=True),
        responses={200: VisitSerializer},
    )
    def partial_update(self, request: Request, id: str) -> Response:
        visit = self.get_object()
        if not can_manage_visit(self._actor(), visit):
            raise exceptions.PermissionDenied(_DENIED)
        serializer = VisitWriteSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if k in request.data}
        try:
            visit_update(actor=self._actor(), visit=visit, data=data, context=self._ctx())
        except DjangoPermissionDenied as exc:
            raise _denied(exc) from None
        return self._show(visit)

    @extend_schema(
        methods=["GET"],
        summary=_("The visit's life-cycle history"),
        description=_("Not for agency liaisons (403)."),
        responses={200: TransitionSerializer(many=True)},
    )
    @extend_schema(
        methods=["POST"],
        summary=_("Move the visit along its life cycle"),
        description=_(
            "Only the moves of the transition table, by the roles it names; the report "
            "moves are made by the report endpoints. Invalid moves answer 400 with the reason."
        ),
        request=TransitionRequestSerializer,
        responses={200: VisitSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def transitions(self, request: Request, id: str) -> Response:
        visit = self.get_object()
        if request.method == "GET":
            if not can_view_visit_details(self._actor(), visit):
                raise exceptions.PermissionDenied(_DENIED)
            return Response(
                TransitionSerializer(
                    visit_history(visit), many=True, context={"request": request}
                ).data
            )
        serializer = TransitionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            visit_transition(
                actor=self._actor(),
                visit=visit,
                to_state=serializer.validated_data["to_state"],
                note=serializer.validated_data["note"],
                context=self._ctx(),
            )
        except DjangoPermissionDenied as exc:
            raise _denied(exc) from None
        return self._show(visit)

    @extend_schema(
        summary=_("Name the visiting team"),
        description=_(
            "At least three participants and a lead among them, before the visit starts. "
            "Refused with the reason for a participant not accredited on the visit's "
            "dates or with a declared conflict of interest."
        ),
        request=TeamRequestSerializer,
        responses={200: VisitSerializer},
    )
    @action(detail=True, methods=["put"], filterset_class=None)
    def team(self, request: Request, id: str) -> Response:
        visit = self.get_object()
        if not can_manage_visit(self._actor(), visit):
            raise exceptions.PermissionDenied(_DENIED)
        serializer = TeamRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        visit_team_set(
            actor=self._actor(),
            visit=visit,
            members=serializer.validated_data["members"],
            lead=serializer.validated_data["lead"],
            context=self._ctx(),
        )
        return self._show(visit)

    @extend_schema(
        methods=["GET"],
        summary=_("Access incidents of the visit"),
        description=_("The team, planners in scope and auditors."),
        responses={200: AccessIncidentSerializer(many=True)},
    )
    @extend_schema(
        methods=["POST"],
        summary=_("Record an access incident"),
        description=_(
            "A delay, refusal, area denied or obstruction, once the visit has started: "
            "the team and planners in scope."
        ),
        request=AccessIncidentSerializer,
        responses={201: AccessIncidentSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="access-incidents",
        url_name="access-incidents",
        pagination_class=None,
        filterset_class=None,
    )
    def access_incidents(self, request: Request, id: str) -> Response:
        visit = self.get_object()
        if request.method == "GET":
            if not can_view_working_material(self._actor(), visit):
                raise exceptions.PermissionDenied(_DENIED)
            incidents = visit.access_incidents.select_related("institution", "recorded_by")
            return Response(
                AccessIncidentSerializer(incidents, many=True, context={"request": request}).data
            )
        if not can_record_access_incident(self._actor(), visit):
            raise exceptions.PermissionDenied(_DENIED)
        serializer = AccessIncidentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        incident = access_incident_record(
            actor=self._actor(),
            visit=visit,
            data=dict(serializer.validated_data),
            context=self._ctx(),
        )
        return Response(
            AccessIncidentSerializer(incident, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


def register(router: SimpleRouter) -> None:
    router.register("participants", ParticipantViewSet, basename="participant")
    router.register("visits", VisitViewSet, basename="visit")
