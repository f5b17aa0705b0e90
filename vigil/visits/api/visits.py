"""API v1 for visits and NPM participants: `register(router)` adds their viewsets.

/api/v1/visits/ — the visits the caller may see (`visits_visible_to`: an agency liaison
never meets a visit that has not started, and sees no planning details of one that has);
planners create and change visits, name the team and move them along their life cycle
(`/transitions/`); the team and planners record access incidents. Everything goes
through the same services as the pages.
"""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from vigil.accounts.models import User
from vigil.api.base import AuthenticatedRequest, VigilViewSet

from ..enums import (
    VisitState,
    VisitType,
)
from ..models import Visit
from ..permissions import (
    can_manage_visit,
    can_plan_visits,
    can_record_access_incident,
    can_view_visit_details,
    can_view_working_material,
)
from ..selectors.listing import VisitFilter, visits_for_listing
from ..selectors.visits import visit_history
from ..services.visits import (
    access_incident_record,
    visit_create,
    visit_team_set,
    visit_transition,
    visit_update,
)
from ..workflow import may_move as may_move_visit
from .visit_serializers import (
    AccessIncidentSerializer,
    TeamRequestSerializer,
    TransitionRequestSerializer,
    TransitionSerializer,
    VisitSerializer,
    VisitWriteSerializer,
)

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
            OpenApiParameter(
                "agency", str, description=_("Agency code, e.g. MVD; includes its sub-units.")
            ),
            OpenApiParameter(
                "ordering",
                str,
                description=_(
                    "Sort by date (the planned start; for agency liaisons, the actual "
                    "start), reference, institution, region or state (the life cycle's "
                    "order); a leading - for descending. Default: the newest first."
                ),
            ),
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
    VigilViewSet[Visit],
):
    """Monitoring visits: plan, team, life cycle and access incidents."""

    denials_logged = True

    serializer_class = VisitSerializer
    permission_classes = [VisitAccess]
    filterset_class = VisitFilter
    denied_message = _("You may not do this with this visit.")

    def visible_to(self, user: User | None) -> QuerySet[Visit]:
        return (
            visits_for_listing(user)
            .select_related("follow_up_of")
            .prefetch_related("team__participant__user")
        )

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        context["listing"] = getattr(self, "action", None) == "list"
        return context

    def _show(self, visit: Visit, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=visit.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(
        summary=_("Plan a visit"),
        description=_(
            "Coordinators and administrators anywhere, regional representatives in their "
            "regions (every institution's). The visit starts as a draft in its year's plan, "
            "with a reference such as 2026-K7Q2M9 (a random code, not a count)."
        ),
        request=VisitWriteSerializer,
        responses={201: VisitSerializer},
    )
    def create(self, request: Request) -> Response:
        serializer = VisitWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        visit = visit_create(
            actor=self.actor, data=dict(serializer.validated_data), context=self.request_context
        )
        return self._show(visit, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Change a visit before it starts"),
        description=_("Planners in scope; only fields sent are changed. Validated and audited."),
        request=VisitWriteSerializer(partial=True),
        responses={200: VisitSerializer},
    )
    def partial_update(self, request: Request, id: str) -> Response:
        visit = self.get_object()
        if not can_manage_visit(self.actor, visit):
            raise exceptions.PermissionDenied(self.denied_message)
        serializer = VisitWriteSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if k in request.data}
        visit_update(actor=self.actor, visit=visit, data=data, context=self.request_context)
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
    def transitions(self, request: AuthenticatedRequest, id: str) -> Response:
        visit = self.get_object()
        if request.method == "GET":
            if not can_view_visit_details(self.actor, visit):
                raise exceptions.PermissionDenied(self.denied_message)
            return Response(
                TransitionSerializer(
                    visit_history(visit), many=True, context={"request": request}
                ).data
            )
        if not may_move_visit(self.actor, visit):
            raise exceptions.PermissionDenied(str(self.denied_message))
        serializer = TransitionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        visit_transition(
            actor=self.actor,
            visit=visit,
            to_state=serializer.validated_data["to_state"],
            note=serializer.validated_data["note"],
            context=self.request_context,
        )
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
    def team(self, request: AuthenticatedRequest, id: str) -> Response:
        visit = self.get_object()
        if not can_manage_visit(self.actor, visit):
            raise exceptions.PermissionDenied(self.denied_message)
        serializer = TeamRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        visit_team_set(
            actor=self.actor,
            visit=visit,
            members=serializer.validated_data["members"],
            lead=serializer.validated_data["lead"],
            context=self.request_context,
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
    def access_incidents(self, request: AuthenticatedRequest, id: str) -> Response:
        visit = self.get_object()
        if request.method == "GET":
            if not can_view_working_material(self.actor, visit):
                raise exceptions.PermissionDenied(self.denied_message)
            incidents = visit.access_incidents.select_related("institution", "recorded_by")
            return Response(
                AccessIncidentSerializer(incidents, many=True, context={"request": request}).data
            )
        if not can_record_access_incident(self.actor, visit):
            raise exceptions.PermissionDenied(self.denied_message)
        serializer = AccessIncidentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        incident = access_incident_record(
            actor=self.actor,
            visit=visit,
            data=dict(serializer.validated_data),
            context=self.request_context,
        )
        return Response(
            AccessIncidentSerializer(incident, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )
