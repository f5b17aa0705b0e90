"""API v1 for criminal cases (art. 146): list (the list page's filters), show, record, change,
move along the life cycle, reclassify. The victim appears by pseudonym only, and only for the
roles that may see cases (`case_fields_hidden_from`)."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from vigil.accounts.models import User
from vigil.api.base import UUID_PATTERN, FieldPolicySerializer, VigilViewSet
from vigil.api.exceptions import ErrorSerializer

from ..enums import CasePart, ForensicResult, ForensicStatus, TerminationGround
from ..listings.cases import CaseFilter
from ..models import CaseClassification, CriminalCase
from ..permissions import can_manage_case, case_fields_hidden_from
from ..selectors.cases import case_list
from ..services.cases import (
    CASE_INPUT,
    case_create,
    case_reclassify,
    case_transition,
    case_update,
)
from ..services.victim_protection import victim_protection_read
from ._fields import (
    AppealField,
    ReferralField,
    body_field,
    institution_field,
    read_slug,
    region_field,
)

_DENIED = _("You may not do this with this criminal case.")


class ClassificationSerializer(serializers.ModelSerializer[CaseClassification]):
    investigating_body = read_slug("code")

    class Meta:
        model = CaseClassification
        fields = ("part", "investigating_body", "effective_on", "note")
        read_only_fields = fields


class CaseSerializer(FieldPolicySerializer):
    field_policy = staticmethod(case_fields_hidden_from)

    id = serializers.UUIDField(source="public_id", read_only=True)
    reference = serializers.CharField(read_only=True)
    source_id = serializers.CharField(source="source_key", read_only=True)
    appeal = read_slug("reference")
    referral = read_slug("reference")
    institution = read_slug("external_code")
    region = read_slug("code")
    state = serializers.CharField(read_only=True)
    part = serializers.IntegerField(read_only=True)
    investigating_body = read_slug("code")
    reported_on = serializers.DateField(read_only=True)
    info_book_entry_on = serializers.DateField(read_only=True)
    register_number = serializers.CharField(read_only=True)
    registered_on = serializers.DateField(read_only=True)
    registration_delay_days = serializers.IntegerField(read_only=True, allow_null=True)
    victim_pseudonym = serializers.CharField(read_only=True)
    has_victim_protection = serializers.SerializerMethodField(
        help_text=_(
            "Whether protection measures are recorded; they are stored encrypted (read them "
            "with `victim-protection/`)."
        )
    )
    forensic_status = serializers.CharField(read_only=True)
    forensic_requested_on = serializers.DateField(read_only=True)
    forensic_done_on = serializers.DateField(read_only=True)
    forensic_result = serializers.CharField(read_only=True)
    termination_ground = serializers.CharField(read_only=True)
    terminated_on = serializers.DateField(read_only=True)
    sent_to_court_on = serializers.DateField(read_only=True)
    verdict_on = serializers.DateField(read_only=True)
    final_on = serializers.DateField(read_only=True)
    outcome = serializers.CharField(read_only=True)
    classifications = ClassificationSerializer(many=True, read_only=True)

    class Meta:
        model = CriminalCase  # for the schema: which fields may be null (vigil.api.schema)

    def get_has_victim_protection(self, case: CriminalCase) -> bool:
        return bool(case.victim_protection_ciphertext)


class CaseWriteSerializer(FieldPolicySerializer):
    field_policy = staticmethod(case_fields_hidden_from)

    appeal = AppealField(required=False, allow_null=True)
    referral = ReferralField(required=False, allow_null=True)
    part = serializers.ChoiceField(CasePart.choices)
    investigating_body = body_field(required=False)
    institution = institution_field(required=False)
    region = region_field(required=False)
    reported_on = serializers.DateField()
    info_book_entry_on = serializers.DateField(required=False, allow_null=True)
    register_number = serializers.CharField(required=False, allow_blank=True, max_length=60)
    registered_on = serializers.DateField(required=False, allow_null=True)
    victim_pseudonym = serializers.CharField(required=False, allow_blank=True, max_length=60)
    victim_protection = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_(
            "Stored encrypted and never returned here; when changing, empty keeps those "
            "recorded and a new text replaces them."
        ),
    )
    forensic_status = serializers.ChoiceField(ForensicStatus.choices, required=False)
    forensic_requested_on = serializers.DateField(required=False, allow_null=True)
    forensic_done_on = serializers.DateField(required=False, allow_null=True)
    forensic_result = serializers.ChoiceField(
        ForensicResult.choices, required=False, allow_blank=True
    )
    outcome = serializers.CharField(required=False, allow_blank=True)


class VictimProtectionSerializer(serializers.Serializer[Any]):
    victim_protection = serializers.CharField(
        read_only=True, help_text=_("The victim protection measures.")
    )


class CaseMoveSerializer(serializers.Serializer[Any]):
    move = serializers.CharField(
        help_text=_(
            "register, refuse, investigate, charge, court, convict, acquit, final, terminate, "
            "suspend"
        )
    )
    on = serializers.DateField(required=False, allow_null=True)
    register_number = serializers.CharField(required=False, allow_blank=True)
    termination_ground = serializers.ChoiceField(
        TerminationGround.choices, required=False, allow_blank=True
    )
    note = serializers.CharField(required=False, allow_blank=True)


class ReclassifySerializer(serializers.Serializer[Any]):
    part = serializers.ChoiceField(CasePart.choices)
    investigating_body = body_field(required=False)
    effective_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True)


_ERRORS: dict[int | str, Any] = {
    400: OpenApiResponse(ErrorSerializer, description=_("Invalid: `errors` names the fields.")),
    403: OpenApiResponse(ErrorSerializer, description=_("Not allowed for this user.")),
}


@extend_schema_view(
    list=extend_schema(
        summary=_("List criminal cases (art. 146)"),
        description=_(
            "Coordinators and auditors see all; regional representatives those of their "
            "regions; monitors those of the appeals they see; never a liaison or an "
            "administrator. Filters: search, status, part, body, region, institution, year, "
            "delayed, ground."
        ),
    ),
    retrieve=extend_schema(
        summary=_("Show a criminal case"),
        description=_("404 for a case that does not exist or is not visible."),
    ),
)
class CriminalCaseViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, VigilViewSet[CriminalCase]
):
    """Criminal cases under art. 146 followed by the NPM."""

    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    lookup_value_regex = UUID_PATTERN
    denied_message = _DENIED

    def visible_to(self, user: User | None) -> QuerySet[CriminalCase]:
        if getattr(self, "swagger_fake_view", False):
            return CriminalCase.objects.none()
        return (
            case_list(user)
            .select_related("appeal", "referral")
            .prefetch_related("classifications__investigating_body")
        )

    def _show(self, case: CriminalCase, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=case.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def _data(self, partial: bool) -> dict[str, Any]:
        serializer = CaseWriteSerializer(
            data=self.request.data, partial=partial, context={"request": self.request}
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if partial:
            data = {k: v for k, v in data.items() if k in self.request.data}
        return data

    @extend_schema(
        summary=_("Record a criminal case"),
        description=_(
            "Coordinators; regional representatives in their regions. Its first "
            "classification (part, investigating body) is recorded with it. Audited."
        ),
        request=CaseWriteSerializer,
        responses={201: CaseSerializer, **_ERRORS},
    )
    def create(self, request: Request) -> Response:
        if not can_manage_case(self.actor):
            raise exceptions.PermissionDenied(_DENIED)
        data = self._data(partial=False)
        case = case_create(
            actor=self.actor,
            data={k: v for k, v in data.items() if k in CASE_INPUT},
            part=int(data["part"]),
            investigating_body=data.get("investigating_body"),
            appeal=data.get("appeal"),
            referral=data.get("referral"),
            context=self.request_context,
        )
        return self._show(case, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Change a criminal case"),
        description=_(
            "Only the fields sent change; the part and the body change by reclassification, "
            "the status by a move. Audited."
        ),
        request=CaseWriteSerializer(partial=True),
        responses={200: CaseSerializer, **_ERRORS},
    )
    def partial_update(self, request: Request, id: str) -> Response:
        case = self.get_object()
        data = self._data(partial=True)
        case_update(
            actor=self.actor,
            case=case,
            data={k: v for k, v in data.items() if k in CASE_INPUT},
            context=self.request_context,
        )
        return self._show(case)

    @extend_schema(
        summary=_("Move the case along its life cycle"),
        description=_(
            "A move of the transition table by its name, with what it needs (register_number "
            "to register, termination_ground to terminate, a note to refuse or suspend)."
        ),
        request=CaseMoveSerializer,
        responses={200: CaseSerializer, **_ERRORS},
    )
    @action(detail=True, methods=["post"], pagination_class=None, filterset_class=None)
    def transition(self, request: Request, id: str) -> Response:
        case = self.get_object()
        serializer = CaseMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        case = case_transition(
            actor=self.actor,
            case=case,
            name=data["move"],
            values={k: data.get(k) for k in ("register_number", "termination_ground", "note")},
            on=data.get("on"),
            context=self.request_context,
        )
        return self._show(case)

    @extend_schema(
        summary=_("Reclassify the case"),
        description=_(
            "A new dated classification (part of art. 146 and investigating body); the "
            "history keeps every one. Audited."
        ),
        request=ReclassifySerializer,
        responses={200: CaseSerializer, **_ERRORS},
    )
    @action(detail=True, methods=["post"], pagination_class=None, filterset_class=None)
    def reclassify(self, request: Request, id: str) -> Response:
        case = self.get_object()
        serializer = ReclassifySerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        case_reclassify(
            actor=self.actor,
            case=case,
            part=int(data["part"]),
            investigating_body=data.get("investigating_body"),
            effective_on=data["effective_on"],
            note=data.get("note") or "",
            context=self.request_context,
        )
        return self._show(case)

    @extend_schema(
        summary=_("Read the victim protection measures (a logged read)"),
        description=_(
            "The measures (a relocation, a protection order), which can identify the victim. "
            "Each call is logged as an access event before anything is decrypted (503 when it "
            "cannot be); auditors are refused (403, logged as denied)."
        ),
        request=None,
        responses={
            200: VictimProtectionSerializer,
            403: OpenApiResponse(ErrorSerializer, description=_("You may not read them.")),
            404: OpenApiResponse(ErrorSerializer, description=_("Missing or not visible.")),
            503: OpenApiResponse(ErrorSerializer, description=_("The read could not be logged.")),
        },
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="victim-protection",
        pagination_class=None,
        filterset_class=None,
    )
    def victim_protection(self, request: Request, id: str) -> Response:
        measures = victim_protection_read(
            actor=self.actor, case=self.get_object(), context=self.request_context
        )
        response = Response({"victim_protection": measures})
        response["Cache-Control"] = "no-store"
        return response
