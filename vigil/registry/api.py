"""API v1 of the registry: institutions (reference data: `vigil.reference.api`).

Thin edge: reads come from the registry's selectors and `institutions_visible_to`,
filters from the one `InstitutionFilter`, writes go through `institution_create` /
`institution_update` (validated and audited there).
"""

from typing import Any, cast

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
from rest_framework import mixins, serializers
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from vigil.accounts.models import User
from vigil.api.base import FieldPolicySerializer, VigilViewSet
from vigil.api.parsers import JSONParser
from vigil.reference.api import NAME_FIELDS, NAME_HELP
from vigil.reference.enums import InstitutionCategory
from vigil.reference.models import Agency, InstitutionType, Region

from .filters import InstitutionFilter
from .models import Institution
from .permissions import (
    can_create_institution,
    can_edit_institution,
    can_view_registry,
    institution_fields_hidden_from,
    institutions_visible_to,
)
from .services import institution_create, institution_update

# The database's own integer range differs (SQLite 64-bit, PostgreSQL 32-bit): pin
# the API's to the narrower one, so that the schema and the errors do not depend on it.
MAX_COUNT = 2_147_483_647
COUNT_FIELDS = (
    "capacity",
    "population_men",
    "population_women",
    "population_boys",
    "population_girls",
)


# ---------------------------------------------------------------- permissions


class CanViewRegistry(BasePermission):
    """Any active account with a role reads the registry (what it sees is scoped)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return can_view_registry(request.user)  # type: ignore[arg-type]


class InstitutionAccess(CanViewRegistry):
    """Reads for every role; creating and editing as the registry's policy says."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not super().has_permission(request, view):
            return False
        if getattr(view, "action", None) == "create":
            return can_create_institution(request.user)  # type: ignore[arg-type]
        return True

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return can_edit_institution(request.user, obj)  # type: ignore[arg-type]


# ---------------------------------------------------------------- institutions


class InstitutionSerializer(FieldPolicySerializer, serializers.ModelSerializer[Institution]):
    field_policy = staticmethod(institution_fields_hidden_from)

    id = serializers.UUIDField(source="public_id", read_only=True)
    url = serializers.HyperlinkedIdentityField(
        view_name="api:institution-detail", lookup_field="public_id", lookup_url_kwarg="id"
    )
    html_url = serializers.SerializerMethodField(help_text=_("The institution's page."))
    name = serializers.CharField(read_only=True, help_text=NAME_HELP)
    type = serializers.SlugRelatedField(
        slug_field="code",
        queryset=InstitutionType.objects.all(),
        help_text=_("Code of the institution type."),
    )
    type_name = serializers.CharField(source="type.name", read_only=True)
    category = serializers.ChoiceField(
        source="type.category", choices=InstitutionCategory.choices, read_only=True
    )
    agency = serializers.SlugRelatedField(
        slug_field="code", queryset=Agency.objects.all(), help_text=_("Code of the agency.")
    )
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), help_text=_("Code of the region.")
    )
    region_name = serializers.CharField(source="region.name", read_only=True)
    population_total = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("Sum of the known population figures.")
    )

    class Meta:
        model = Institution
        fields = (
            "id",
            "url",
            "html_url",
            "external_code",
            *NAME_FIELDS,
            "type",
            "type_name",
            "category",
            "agency",
            "agency_name",
            "region",
            "region_name",
            "address",
            "capacity",
            "population_men",
            "population_women",
            "population_boys",
            "population_girls",
            "population_total",
            "population_date",
            "security_level",
            "status",
            "last_visited_on",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("last_visited_on", "created_at", "updated_at")
        extra_kwargs = {name: {"max_value": MAX_COUNT} for name in COUNT_FIELDS}

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, obj: Institution) -> str:
        path = reverse("registry:institution_detail", kwargs={"public_id": obj.public_id})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


_LIST_PARAMETERS = [
    OpenApiParameter(
        "search", str, description=_("Part of a name (any language) or of the external code.")
    ),
    OpenApiParameter("region", str, description=_("Region code, e.g. KZ-71.")),
    OpenApiParameter("agency", str, description=_("Agency code; includes the agency's sub-units.")),
    OpenApiParameter("type", str, description=_("Institution type code.")),
    OpenApiParameter(
        "not_visited_since",
        OpenApiTypes.DATE,
        description=_(
            "Institutions never visited, or last visited before this date (not for agency "
            "liaisons, who see nothing of the NPM's visit coverage)."
        ),
    ),
]


@extend_schema_view(
    list=extend_schema(
        summary=_("List institutions"),
        description=_(
            "The institutions visible to the caller (national roles: all; regional "
            "representatives: their regions; agency liaisons: their agency and its "
            "sub-units), filtered with the parameters of the registry page and exports."
        ),
        parameters=_LIST_PARAMETERS,
    ),
    retrieve=extend_schema(
        summary=_("Show an institution"),
        description=_("404 for an institution that does not exist or is not visible."),
    ),
    create=extend_schema(
        summary=_("Add an institution"),
        description=_(
            "Coordinators and administrators anywhere, regional representatives in "
            "their regions. Validated and audited."
        ),
    ),
    update=extend_schema(
        summary=_("Replace an institution's data"),
        description=_("As for adding; moving to another region needs the right there too."),
    ),
    partial_update=extend_schema(
        summary=_("Change some of an institution's data"),
        description=_("As for adding; moving to another region needs the right there too."),
    ),
)
class InstitutionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    VigilViewSet[Institution],
):
    """Places of deprivation of liberty, as far as the caller may see them.

    Lists are filtered with the same parameters as the registry page and exports.
    Coordinators and administrators create and edit anywhere, regional
    representatives in their regions; every write is validated and audited.
    Institutions are never deleted through the API: close them (`status`).
    """

    serializer_class = InstitutionSerializer
    permission_classes = [InstitutionAccess]
    filterset_class = InstitutionFilter
    parser_classes = [JSONParser]

    def visible_to(self, user: User | None) -> QuerySet[Institution]:
        return institutions_visible_to(user).select_related("type", "agency", "region")

    def perform_create(self, serializer: serializers.BaseSerializer[Institution]) -> None:
        with self.denied_as(_("You may not add institutions in this region.")):
            serializer.instance = institution_create(
                actor=self.actor,
                data=dict(serializer.validated_data),
                context=self.request_context,
            )

    def perform_update(self, serializer: serializers.BaseSerializer[Institution]) -> None:
        with self.denied_as(_("You may not move institutions to this region.")):
            institution_update(
                actor=self.actor,
                institution=cast(Institution, serializer.instance),
                data=dict(serializer.validated_data),
                context=self.request_context,
            )
