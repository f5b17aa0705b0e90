"""API v1 for accountability records: list (the list page's filters), show, record, change."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from vigil.accounts.models import User
from vigil.api.base import UUID_PATTERN, VigilViewSet
from vigil.api.exceptions import ErrorSerializer

from ..enums import Initiative, Responsibility
from ..listings.cases import AccountabilityFilter
from ..models import AccountabilityRecord
from ..permissions import can_manage_accountability
from ..selectors.cases import accountability_list
from ..services.accountability import accountability_record, accountability_update
from ._fields import (
    AppealField,
    CaseField,
    VisitField,
    agency_field,
    institution_field,
    read_slug,
    region_field,
)

_DENIED = _("You may not do this with this accountability record.")


class AccountabilitySerializer(serializers.ModelSerializer[AccountabilityRecord]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    source_id = serializers.CharField(source="source_key", read_only=True)
    agency = read_slug("code")
    region = read_slug("code")
    institution = read_slug("external_code")
    visit = read_slug("public_id")
    appeal = read_slug("reference")
    case = read_slug("reference")

    class Meta:
        model = AccountabilityRecord
        fields = (
            "id",
            "source_id",
            "decided_on",
            "responsibility",
            "initiative",
            "position",
            "measure",
            "agency",
            "institution",
            "region",
            "visit",
            "appeal",
            "case",
            "note",
        )
        read_only_fields = fields


class AccountabilityWriteSerializer(serializers.Serializer[Any]):
    decided_on = serializers.DateField()
    responsibility = serializers.ChoiceField(Responsibility.choices)
    initiative = serializers.ChoiceField(Initiative.choices)
    position = serializers.CharField(required=False, allow_blank=True, max_length=200)
    measure = serializers.CharField(required=False, allow_blank=True, max_length=300)
    agency = agency_field(required=False)
    institution = institution_field(required=False)
    region = region_field(required=False)
    visit = VisitField(required=False, allow_null=True)
    appeal = AppealField(required=False, allow_null=True)
    case = CaseField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)


_ERRORS: dict[int | str, Any] = {
    400: OpenApiResponse(ErrorSerializer, description=_("Invalid: `errors` names the fields.")),
    403: OpenApiResponse(ErrorSerializer, description=_("Not allowed for this user.")),
}


@extend_schema_view(
    list=extend_schema(
        summary=_("List accountability records"),
        description=_(
            "Officials brought to responsibility and on whose initiative. Coordinators and "
            "auditors see all; regional representatives those of their regions; monitors "
            "those linked to their visits. Filters: search, year, initiative, "
            "responsibility, agency (code, with sub-units), region."
        ),
    ),
    retrieve=extend_schema(summary=_("Show an accountability record")),
)
class AccountabilityViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, VigilViewSet[AccountabilityRecord]
):
    """Officials held accountable."""

    serializer_class = AccountabilitySerializer
    filterset_class = AccountabilityFilter
    lookup_value_regex = UUID_PATTERN
    denied_message = _DENIED

    def visible_to(self, user: User | None) -> QuerySet[AccountabilityRecord]:
        if getattr(self, "swagger_fake_view", False):
            return AccountabilityRecord.objects.none()
        return accountability_list(user).select_related("visit", "appeal", "case")

    def _show(self, record: AccountabilityRecord, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=record.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def _data(self, partial: bool) -> dict[str, Any]:
        serializer = AccountabilityWriteSerializer(
            data=self.request.data, partial=partial, context={"request": self.request}
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if partial:
            data = {k: v for k, v in data.items() if k in self.request.data}
        return data

    @extend_schema(
        summary=_("Record an official held accountable"),
        description=_("Coordinators; regional representatives in their regions. Audited."),
        request=AccountabilityWriteSerializer,
        responses={201: AccountabilitySerializer, **_ERRORS},
    )
    def create(self, request: Request) -> Response:
        if not can_manage_accountability(self.actor):
            raise exceptions.PermissionDenied(_DENIED)
        record = accountability_record(
            actor=self.actor, data=self._data(partial=False), context=self.request_context
        )
        return self._show(record, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Change an accountability record"),
        description=_("Only the fields sent change. Audited."),
        request=AccountabilityWriteSerializer(partial=True),
        responses={200: AccountabilitySerializer, **_ERRORS},
    )
    def partial_update(self, request: Request, id: str) -> Response:
        record = self.get_object()
        accountability_update(
            actor=self.actor,
            record=record,
            data=self._data(partial=True),
            context=self.request_context,
        )
        return self._show(record)
