"""Serializers of the recommendations API: recommendations, their moves and history, the
NPM's assessments, and the related objects a write names by id (among those the caller may
see). Fields naming NPM staff follow `recommendation_fields_hidden_from`."""

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request

from vigil.accounts.models import User
from vigil.api.base import FieldPolicySerializer, ScopedField
from vigil.reference.models import Agency
from vigil.registry.models import Institution
from vigil.registry.permissions import institutions_visible_to
from vigil.visits.enums import Theme
from vigil.visits.models import Finding, Visit
from vigil.visits.permissions import findings_visible_to, visits_visible_to

from ..enums import Level, Source, State, Verdict
from ..models import Assessment, Recommendation, RecommendationEvent
from ..permissions import recommendation_fields_hidden_from, recommendations_visible_to


def _absolute(request: Request | None, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class VisitField(ScopedField):
    model = Visit

    def scope(self, user: User | None) -> QuerySet[Any]:
        return visits_visible_to(user)


class InstitutionField(ScopedField):
    model = Institution

    def scope(self, user: User | None) -> QuerySet[Any]:
        return institutions_visible_to(user)


class FindingField(ScopedField):
    model = Finding

    def scope(self, user: User | None) -> QuerySet[Any]:
        return findings_visible_to(user)


class RecommendationField(ScopedField):
    model = Recommendation

    def scope(self, user: User | None) -> QuerySet[Any]:
        return recommendations_visible_to(user)


# ---------------------------------------------------------------- serializers


class RecommendationPolicySerializer(FieldPolicySerializer):
    # Fields hidden by `recommendation_fields_hidden_from` (no docstring: see the base).

    field_policy = staticmethod(recommendation_fields_hidden_from)


class RecommendationSerializer(serializers.ModelSerializer[Recommendation]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    url = serializers.HyperlinkedIdentityField(
        view_name="api:recommendation-detail", lookup_field="public_id", lookup_url_kwarg="id"
    )
    html_url = serializers.SerializerMethodField(help_text=_("The recommendation's page."))
    visit = serializers.SlugRelatedField[Visit](slug_field="public_id", read_only=True)
    visit_reference = serializers.CharField(source="visit.reference", read_only=True, default=None)
    addressee = serializers.SlugRelatedField[Agency](
        slug_field="code", read_only=True, help_text=_("The addressee agency's code.")
    )
    addressee_name = serializers.CharField(source="addressee.name", read_only=True)
    institution = serializers.SlugRelatedField[Institution](slug_field="public_id", read_only=True)
    institution_name = serializers.CharField(
        source="institution.name", read_only=True, default=None
    )
    findings = serializers.SlugRelatedField[Finding](
        slug_field="public_id", many=True, read_only=True
    )
    repeat_of = serializers.SlugRelatedField[Recommendation](slug_field="public_id", read_only=True)
    repeat_of_reference = serializers.CharField(
        source="repeat_of.reference", read_only=True, default=None
    )
    is_overdue = serializers.BooleanField(
        read_only=True,
        help_text=_("The deadline has passed (in working days) and the answer is still owed."),
    )
    is_due_soon = serializers.BooleanField(read_only=True)

    class Meta:
        model = Recommendation
        fields = (
            "id",
            "url",
            "html_url",
            "reference",
            "external_ref",
            "source",
            "source_document",
            "visit",
            "visit_reference",
            "addressee",
            "addressee_name",
            "institution",
            "institution_name",
            "findings",
            "theme",
            "level",
            "text",
            "indicator",
            "issued_on",
            "deadline",
            "state",
            "state_changed_on",
            "claimed_status",
            "assessed_verdict",
            "repeat_of",
            "repeat_of_reference",
            "is_overdue",
            "is_due_soon",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, obj: Recommendation) -> str:
        return _absolute(
            self.context.get("request"),
            reverse("recommendations:detail", kwargs={"public_id": obj.public_id}),
        )


class RecommendationWriteSerializer(serializers.Serializer[Any]):
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=[(v, label) for v, label in Source.choices if v != Source.ESCALATION],
        required=False,
        help_text=_("Default: visit_report with a visit, thematic_report without."),
    )
    source_document = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    visit = VisitField(required=False, allow_null=True, help_text=_("The visit's id."))
    addressee = serializers.SlugRelatedField[Agency](
        slug_field="code",
        queryset=Agency.objects.all(),
        help_text=_("The addressee agency's code (any level of the hierarchy)."),
    )
    institution = InstitutionField(
        required=False,
        allow_null=True,
        help_text=_("The institution's id."),
    )
    findings = FindingField(
        many=True,
        required=False,
        help_text=_("Ids of findings of the same visit."),
    )
    theme = serializers.ChoiceField(choices=Theme.choices, help_text=_("Taxonomy code T1–T8."))
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    text = serializers.CharField(max_length=20_000)
    indicator = serializers.CharField(
        max_length=5_000, required=False, allow_blank=True, default=""
    )
    deadline = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("Empty: set on issue, the issue date plus the default working days."),
    )
    repeat_of = RecommendationField(
        required=False,
        allow_null=True,
        help_text=_("The id of the earlier recommendation this one repeats."),
    )


class RecommendationMoveSerializer(serializers.Serializer[Any]):
    to_state = serializers.ChoiceField(choices=State.choices)
    label = serializers.CharField()  # type: ignore[assignment]
    needs_note = serializers.BooleanField()
    needs_deadline = serializers.BooleanField()


class RecommendationEventSerializer(
    RecommendationPolicySerializer, serializers.ModelSerializer[RecommendationEvent]
):
    actor = serializers.SerializerMethodField(
        help_text=_("Who made the change; absent for agency liaisons.")
    )

    class Meta:
        model = RecommendationEvent
        fields = ("kind", "from_state", "to_state", "actor", "occurred_at", "note", "data")
        read_only_fields = fields

    def get_actor(self, obj: RecommendationEvent) -> str | None:
        return str(obj.actor) if obj.actor_id else None


class RecommendationTransitionsSerializer(serializers.Serializer[Any]):
    state = serializers.ChoiceField(choices=State.choices)
    available = RecommendationMoveSerializer(
        many=True, help_text=_("The moves the caller may make now.")
    )
    history = RecommendationEventSerializer(many=True)


class RecommendationTransitionRequestSerializer(serializers.Serializer[Any]):
    to_state = serializers.ChoiceField(choices=State.choices)
    note = serializers.CharField(
        allow_blank=True,
        default="",
        max_length=5000,
        help_text=_("Required for closing as obsolete and for giving a new deadline."),
    )
    deadline = serializers.DateField(
        required=False, allow_null=True, help_text=_("The new deadline, where the move sets one.")
    )
    expected_state = serializers.ChoiceField(
        choices=State.choices,
        required=False,
        help_text=_("The status the caller saw: the move is refused if it has changed since."),
    )


class AssessmentSerializer(RecommendationPolicySerializer, serializers.ModelSerializer[Assessment]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    visit = serializers.SlugRelatedField[Visit](slug_field="public_id", read_only=True)
    visit_reference = serializers.CharField(source="visit.reference", read_only=True, default=None)
    response = serializers.SlugRelatedField[Any](slug_field="public_id", read_only=True)
    assessed_by = serializers.CharField(
        source="assessed_by.full_name",
        read_only=True,
        help_text=_("Who assessed; absent for agency liaisons."),
    )

    class Meta:
        model = Assessment
        fields = (
            "id",
            "verdict",
            "reasons",
            "visit",
            "visit_reference",
            "response",
            "assessed_by",
            "created_at",
        )
        read_only_fields = fields


class AssessmentCreateSerializer(serializers.Serializer[Any]):
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    reasons = serializers.CharField(
        allow_blank=True,
        default="",
        max_length=10_000,
        help_text=_("Required to dispute a claim, for implementation not found, and to reopen."),
    )
    visit = VisitField(
        required=False,
        allow_null=True,
        help_text=_("The visit that took place at which implementation was checked."),
    )
    deadline = serializers.DateField(
        required=False, allow_null=True, help_text=_("Only when reopening: a new deadline.")
    )
    expected_state = serializers.ChoiceField(choices=State.choices, required=False)


class IssueVisitSerializer(serializers.Serializer[Any]):
    visit = serializers.UUIDField(help_text=_("The id of a visit whose report is approved."))
