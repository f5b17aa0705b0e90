"""Serializers of the visits API (`visits.py`): a visit as the caller may see it, its
planning details and team, its life-cycle history, and its access incidents."""

import uuid
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from vigil.api.base import nested_rows, request_user
from vigil.people.models import Participant
from vigil.registry.models import Institution
from vigil.registry.permissions import institutions_visible_to

from .. import workflow
from ..enums import AccessIncidentKind, Theme, TriggerKind, VisitMode, VisitState, VisitType
from ..models import AccessIncident, TeamMember, Visit, VisitTransition
from ..permissions import can_see_visit_details, visits_visible_to
from .policy import VisitPolicySerializer


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
        return nested_rows(self, TeamMemberSerializer, team)


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
                    pk__in=institutions_visible_to(request_user(self.context)).values("pk")
                ).select_related("region")
            )
        return nested_rows(self, InstitutionRefSerializer, shown)

    @extend_schema_field(VisitDetailsSerializer(allow_null=True))
    def get_details(self, obj: Visit) -> dict[str, Any] | None:
        # Every visit served comes from `visits_visible_to`: what remains is the role rule.
        if not can_see_visit_details(request_user(self.context)):
            return None
        return nested_rows(self, VisitDetailsSerializer, [obj])[0]

    @extend_schema_field(MoveSerializer(many=True, allow_null=True))
    def get_allowed_transitions(self, obj: Visit) -> list[dict[str, Any]] | None:
        user = request_user(self.context)
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
