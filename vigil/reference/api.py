"""API v1 of the reference data: regions, agencies and institution types, read-only.

Items are addressed by their stable `code`; related rows are given by code too.
"""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, viewsets
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from .models import Agency, InstitutionType, Region
from .permissions import can_view_reference_data
from .selectors import agency_list, institution_type_list, region_list

NAME_HELP = _("The name in the request's language (Accept-Language), else the first one filled.")
NAME_FIELDS = ("name", "name_kk", "name_ru", "name_en")
VALIDITY_FIELDS = ("valid_from", "valid_to")


def _code_of(help_text: Any) -> serializers.SlugRelatedField[Any]:
    return serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text=help_text
    )


class CanViewReferenceData(BasePermission):
    """Any active account reads the reference data."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return can_view_reference_data(request.user)


class RegionSerializer(serializers.ModelSerializer[Region]):
    name = serializers.CharField(read_only=True, help_text=NAME_HELP)
    predecessor = _code_of(_("Code of the region this one was split from."))
    neighbours: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        read_only=True,
        help_text=_(
            "Codes of the regions sharing a border with this one (the plan's travel rule)."
        ),
    )

    class Meta:
        model = Region
        fields = ("code", *NAME_FIELDS, "kind", *VALIDITY_FIELDS, "predecessor", "neighbours")
        read_only_fields = fields


class AgencySerializer(serializers.ModelSerializer[Agency]):
    name = serializers.CharField(read_only=True, help_text=NAME_HELP)
    parent = _code_of(_("Code of the parent agency."))  # type: ignore[assignment]
    region = _code_of(_("Code of the region the agency serves."))

    class Meta:
        model = Agency
        fields = (
            "code",
            *NAME_FIELDS,
            "short_name_kk",
            "short_name_ru",
            "short_name_en",
            "level",
            "parent",
            "region",
            *VALIDITY_FIELDS,
        )
        read_only_fields = fields


class InstitutionTypeSerializer(serializers.ModelSerializer[InstitutionType]):
    name = serializers.CharField(read_only=True, help_text=NAME_HELP)
    agency = _code_of(_("Code of the responsible agency."))

    class Meta:
        model = InstitutionType
        fields = ("code", *NAME_FIELDS, "category", "agency", *VALIDITY_FIELDS)
        read_only_fields = fields


class _ReferenceViewSet(viewsets.ReadOnlyModelViewSet[Any]):
    permission_classes = [CanViewReferenceData]
    lookup_field = "code"
    lookup_value_regex = "[^/]+"


class RegionViewSet(_ReferenceViewSet):
    """Regions (ISO 3166-2), with their validity, the region each was split from and its
    neighbours."""

    serializer_class = RegionSerializer

    def get_queryset(self) -> QuerySet[Region]:
        return region_list()


class AgencyViewSet(_ReferenceViewSet):
    """Agencies responsible for places of detention, as a tree (`parent`)."""

    serializer_class = AgencySerializer

    def get_queryset(self) -> QuerySet[Agency]:
        return agency_list()


class InstitutionTypeViewSet(_ReferenceViewSet):
    """Types of institution, each with its category and responsible agency."""

    serializer_class = InstitutionTypeSerializer

    def get_queryset(self) -> QuerySet[InstitutionType]:
        return institution_type_list()
