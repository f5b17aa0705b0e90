"""API v1: `/api/v1/incidents/` (both sources: recorded incidents and the visits' access
incidents, as on the list page) and `/api/v1/follow-ups/` (reprisal follow-up contacts and
recording their outcome).

Thin edge: reads from `..selectors.incidents` and the policy's querysets, writes through
`..services.incidents` and `..services.follow_ups`. What is not visible answers 404; a
liaison or an administrator sees nothing (403 on the collection).
"""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from vigil.accounts.models import User
from vigil.api.base import UUID_PATTERN, VigilViewSet, VigilViewSetMixin, public_id_or_404
from vigil.api.exceptions import ErrorSerializer
from vigil.registry.permissions import institutions_visible_to
from vigil.visits.models import Interview
from vigil.visits.permissions import visits_visible_to

from ..enums import FollowUpOutcome, IncidentKind
from ..forms.incidents import LINK_CHOICES, IncidentFilterForm
from ..models import FollowUpContact, Incident
from ..permissions import (
    appeals_visible_to,
    can_view_follow_ups,
    can_view_incidents,
    cases_visible_to,
    follow_ups_visible_to,
)
from ..selectors.incidents import (
    IncidentFilters,
    IncidentRow,
    get_incident,
    get_incident_row,
    incident_rows,
    row_of_incident,
)
from ..services.follow_ups import follow_up_note_read, follow_up_record
from ..services.incidents import incident_record, incident_summary_read, incident_update


class CanViewIncidents(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return can_view_incidents(request.user)  # type: ignore[arg-type]


class CanViewFollowUps(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return can_view_follow_ups(request.user)  # type: ignore[arg-type]


def _ref(obj: Any, attr: str = "reference") -> Any:
    return getattr(obj, attr) if obj is not None else None


class IncidentSerializer(serializers.Serializer[IncidentRow]):
    id = serializers.UUIDField(source="public_id")
    origin = serializers.ChoiceField(
        source="source",
        choices=[("incident", _("Recorded incident")), ("access", _("Access incident of a visit"))],
        help_text=_("An access incident is recorded on its visit; it cannot be changed here."),
    )
    reference = serializers.CharField(
        help_text=_("The incident's number; for an access incident, its visit's reference.")
    )
    kind = serializers.ChoiceField(choices=IncidentKind.choices)
    detail = serializers.CharField(help_text=_("An access incident's kind (delay, refusal...)."))
    occurred_on = serializers.DateField()
    region = serializers.SerializerMethodField()
    institution = serializers.SerializerMethodField()
    visit = serializers.SerializerMethodField()
    appeal = serializers.SerializerMethodField()
    interview = serializers.SerializerMethodField()
    case = serializers.SerializerMethodField()
    persons_affected = serializers.IntegerField()

    def get_region(self, row: IncidentRow) -> str | None:
        return _ref(row.region, "code")

    def get_institution(self, row: IncidentRow) -> str | None:
        return str(row.institution.public_id) if row.institution else None

    def get_visit(self, row: IncidentRow) -> str | None:
        return _ref(row.visit)

    def get_appeal(self, row: IncidentRow) -> str | None:
        return _ref(row.appeal)

    def get_interview(self, row: IncidentRow) -> str | None:
        return str(row.interview.public_id) if row.interview else None

    def get_case(self, row: IncidentRow) -> str | None:
        return _ref(row.case)


class IncidentWriteSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=IncidentKind.choices)
    occurred_on = serializers.DateField()
    institution = serializers.UUIDField(required=False, allow_null=True)
    visit = serializers.UUIDField(required=False, allow_null=True)
    interview = serializers.UUIDField(required=False, allow_null=True)
    appeal = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, help_text=_("The appeal's number.")
    )
    case = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, help_text=_("The case's number.")
    )
    summary = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_(
            "What happened, without names (required to record one). Stored encrypted and "
            "never returned here (read it with `summary/`); when correcting, empty keeps it."
        ),
    )
    persons_affected = serializers.IntegerField(min_value=0, required=False)


class IncidentSummarySerializer(serializers.Serializer[Any]):
    summary = serializers.CharField(read_only=True, help_text=_("What happened."))


def _resolve(user: User, data: dict[str, Any]) -> dict[str, Any]:
    """The links of a write, each among what the user sees (400 naming the field if not)."""
    lookups: dict[str, tuple[QuerySet[Any], str]] = {
        "institution": (institutions_visible_to(user), "public_id"),
        "visit": (visits_visible_to(user), "public_id"),
        "interview": (Interview.objects.filter(visit__in=visits_visible_to(user)), "public_id"),
        "appeal": (appeals_visible_to(user), "reference"),
        "case": (cases_visible_to(user), "reference"),
    }
    resolved = dict(data)
    for name, (qs, key) in lookups.items():
        if name not in data:
            continue
        value = data[name]
        if value in (None, ""):
            resolved[name] = None
            continue
        found = qs.filter(**{key: value}).first()
        if found is None:
            raise exceptions.ValidationError({name: [_("Not found among what you see.")]})
        resolved[name] = found
    return resolved


_INCIDENT_FILTERS = [
    OpenApiParameter("kind", str, enum=IncidentKind.values),
    OpenApiParameter("region", str, description=_("Region code.")),
    OpenApiParameter("institution", str, description=_("Institution id.")),
    OpenApiParameter("occurred_from", str, description=_("YYYY-MM-DD")),
    OpenApiParameter("occurred_to", str, description=_("YYYY-MM-DD")),
    OpenApiParameter("linked", str, enum=[value for value, _label in LINK_CHOICES if value]),
]


def _filters(params: Any) -> IncidentFilters:
    form = IncidentFilterForm(params)
    if not form.is_valid():
        raise exceptions.ValidationError(
            {name: [str(e) for e in errors] for name, errors in form.errors.items()}
        )
    return form.filters()


class IncidentViewSet(VigilViewSetMixin, viewsets.GenericViewSet[Any]):
    """Incidents: reprisals, access obstruction, deaths in custody, self-harm."""

    permission_classes = [CanViewIncidents]
    serializer_class = IncidentSerializer
    queryset = Incident.objects.none()  # the schema's path types; rows come from the selector
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    lookup_value_regex = UUID_PATTERN

    @extend_schema(
        summary=_("List incidents"),
        description=_(
            "Recorded incidents and the access incidents of visits (as access obstruction), "
            "newest first. Coordinators and auditors see all; regional representatives their "
            "regions; monitors those of their visits and appeals and those they recorded."
        ),
        parameters=_INCIDENT_FILTERS,
        responses={
            200: IncidentSerializer(many=True),
            400: OpenApiResponse(ErrorSerializer, description=_("A malformed filter.")),
            403: OpenApiResponse(ErrorSerializer, description=_("Not for your role.")),
        },
    )
    def list(self, request: Request) -> Response:
        rows = incident_rows(self.actor, _filters(request.query_params))
        page = self.paginate_queryset(rows)  # type: ignore[arg-type]
        data = IncidentSerializer(page if page is not None else rows, many=True).data  # type: ignore[arg-type]
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(
        summary=_("Show an incident"),
        responses={
            200: IncidentSerializer,
            404: OpenApiResponse(ErrorSerializer, description=_("Missing or not visible.")),
        },
    )
    def retrieve(self, request: Request, id: str) -> Response:
        public_id_or_404(id)
        return Response(IncidentSerializer(get_incident_row(self.actor, id)).data)

    @extend_schema(
        summary=_("Record an incident"),
        description=_(
            "From a visit: its team and planners; about an appeal: its handlers; otherwise "
            "coordinators and regional representatives in their regions. Every link must be "
            "visible to you. Audited."
        ),
        request=IncidentWriteSerializer,
        responses={
            201: IncidentSerializer,
            400: OpenApiResponse(ErrorSerializer, description=_("Invalid: `errors` says why.")),
            403: OpenApiResponse(ErrorSerializer, description=_("You may not record it.")),
        },
    )
    def create(self, request: Request) -> Response:
        serializer = IncidentWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = _resolve(self.actor, dict(serializer.validated_data))
        incident = incident_record(actor=self.actor, data=data, context=self.request_context)
        return Response(IncidentSerializer(row_of_incident(incident)).data, status=201)

    @extend_schema(
        summary=_("Correct an incident"),
        description=_(
            "Recorded incidents only (an access incident is changed on its visit). "
            "Only the fields sent change. Audited with the changes."
        ),
        request=IncidentWriteSerializer(partial=True),
        responses={
            200: IncidentSerializer,
            400: OpenApiResponse(ErrorSerializer, description=_("Invalid: `errors` says why.")),
            403: OpenApiResponse(ErrorSerializer, description=_("You may not change it.")),
            404: OpenApiResponse(ErrorSerializer, description=_("Missing or not visible.")),
        },
    )
    def partial_update(self, request: Request, id: str) -> Response:
        public_id_or_404(id)
        incident = get_incident(self.actor, id)
        serializer = IncidentWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        sent = {k: v for k, v in serializer.validated_data.items() if k in request.data}
        data = _resolve(self.actor, sent)
        updated = incident_update(
            actor=self.actor, incident=incident, data=data, context=self.request_context
        )
        return Response(
            IncidentSerializer(row_of_incident(get_incident(self.actor, updated.public_id))).data
        )

    @extend_schema(
        summary=_("Read what happened in an incident (a logged read)"),
        description=_(
            "What happened, which can identify the person. Each call is logged as an access "
            "event before anything is decrypted (503 when it cannot be); auditors are refused "
            "(403, logged as denied). Recorded incidents only."
        ),
        request=None,
        responses={
            200: IncidentSummarySerializer,
            403: OpenApiResponse(ErrorSerializer, description=_("You may not read it.")),
            404: OpenApiResponse(ErrorSerializer, description=_("Missing or not visible.")),
            503: OpenApiResponse(ErrorSerializer, description=_("The read could not be logged.")),
        },
    )
    @action(detail=True, methods=["post"], url_path="summary")
    def summary_read(self, request: Request, id: str) -> Response:
        public_id_or_404(id)
        summary = incident_summary_read(
            actor=self.actor, incident=get_incident(self.actor, id), context=self.request_context
        )
        response = Response({"summary": summary})
        response["Cache-Control"] = "no-store"
        return response


class FollowUpSerializer(serializers.ModelSerializer[FollowUpContact]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    appeal: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="reference", read_only=True
    )
    interview: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="public_id", read_only=True, help_text=_("The interview's id.")
    )
    assigned_to: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="email", read_only=True
    )
    incident: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="reference", read_only=True
    )
    has_note = serializers.SerializerMethodField(
        help_text=_("Whether a note was kept; it is stored encrypted (read it with `note/`).")
    )

    class Meta:
        model = FollowUpContact
        fields = (
            "id",
            "appeal",
            "interview",
            "due_on",
            "assigned_to",
            "done_on",
            "outcome",
            "has_note",
            "incident",
        )
        read_only_fields = fields

    def get_has_note(self, contact: FollowUpContact) -> bool:
        return bool(contact.note_ciphertext)


class FollowUpNoteSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(read_only=True, help_text=_("What came of the contact."))


class FollowUpRecordSerializer(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=FollowUpOutcome.choices)
    done_on = serializers.DateField(required=False)
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("What came of the contact; stored encrypted, never returned here."),
    )
    incident_summary = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("With a reported reprisal: records the REPRISAL incident in the same step."),
    )


class FollowUpViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, VigilViewSet[FollowUpContact]
):
    """Follow-up contacts with people at risk of reprisals."""

    permission_classes = [CanViewFollowUps]
    serializer_class = FollowUpSerializer
    lookup_value_regex = UUID_PATTERN
    denials_logged = True

    def visible_to(self, user: User | None) -> QuerySet[FollowUpContact]:
        if getattr(self, "swagger_fake_view", False):
            return FollowUpContact.objects.none()
        qs = follow_ups_visible_to(user).select_related(
            "appeal", "interview", "assigned_to", "incident"
        )
        if self.request is not None and self.request.query_params.get("open") == "true":
            qs = qs.filter(done_on__isnull=True)
        return qs.order_by("due_on", "id")

    @extend_schema(
        summary=_("List follow-up contacts"),
        parameters=[OpenApiParameter("open", bool, description=_("Only those not done."))],
        responses={
            200: FollowUpSerializer(many=True),
            403: OpenApiResponse(ErrorSerializer, description=_("Not for your role.")),
        },
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary=_("Show a follow-up contact"),
        responses={
            200: FollowUpSerializer,
            404: OpenApiResponse(ErrorSerializer, description=_("Missing or not visible.")),
        },
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary=_("Record a contact's outcome"),
        description=_(
            "Unreachable schedules the next try; a reported reprisal with an incident summary "
            "records the REPRISAL incident. Audited."
        ),
        request=FollowUpRecordSerializer,
        responses={
            200: FollowUpSerializer,
            400: OpenApiResponse(ErrorSerializer, description=_("Invalid or already recorded.")),
            403: OpenApiResponse(ErrorSerializer, description=_("You may not record it.")),
            404: OpenApiResponse(ErrorSerializer, description=_("Missing or not visible.")),
        },
    )
    @action(detail=True, methods=["post"])
    def record(self, request: Request, id: str) -> Response:
        contact = self.get_object()
        serializer = FollowUpRecordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        done = follow_up_record(
            actor=self.actor,
            contact=contact,
            outcome=data["outcome"],
            done_on=data.get("done_on"),
            note=data.get("note", ""),
            incident_summary=data.get("incident_summary", ""),
            context=self.request_context,
        )
        return Response(FollowUpSerializer(done).data, status=status.HTTP_200_OK)

    @extend_schema(
        summary=_("Read a contact's note (a logged read)"),
        description=_(
            "What came of the contact, which can identify the person at risk. Each call is "
            "logged as an access event before anything is decrypted (503 when it cannot be); "
            "auditors are refused (403, logged as denied)."
        ),
        request=None,
        responses={
            200: FollowUpNoteSerializer,
            403: OpenApiResponse(ErrorSerializer, description=_("You may not read it.")),
            404: OpenApiResponse(ErrorSerializer, description=_("Missing or not visible.")),
            503: OpenApiResponse(ErrorSerializer, description=_("The read could not be logged.")),
        },
    )
    @action(detail=True, methods=["post"])
    def note(self, request: Request, id: str) -> Response:
        note = follow_up_note_read(
            actor=self.actor, contact=self.get_object(), context=self.request_context
        )
        response = Response({"note": note})
        response["Cache-Control"] = "no-store"
        return response
