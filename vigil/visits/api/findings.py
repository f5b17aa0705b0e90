"""API v1 for findings and internal notes: `register(router)` adds their viewsets.

Thin edge: reads come from `working_material_visible_to` (what is not visible answers 404),
filters from the one `FindingFilter`, writes go through the services of
`vigil.visits.services.findings` (permission-checked, validated and audited there).
"""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, serializers
from rest_framework.request import Request

from vigil.accounts.models import User
from vigil.api.base import VigilViewSet, request_user
from vigil.registry.models import Institution

from ..enums import EvidenceKind, NoteKind, RootCause, Severity, Theme
from ..forms.findings import FindingFilter
from ..models import Attachment, ChecklistAnswer, Finding, InternalNote, Visit
from ..permissions import (
    can_work_on_visit,
    findings_visible_to,
    working_material_visible_to,
    writes_working_material,
)
from ..selectors.findings import notes_visible_to, with_details
from ..services.findings import finding_create, finding_delete, finding_update, note_create
from .policy import VisitPolicySerializer


def _absolute(request: Request | None, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class VisitField(serializers.SlugRelatedField[Visit]):
    """A visit by its id, among those whose working material the caller may read."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("The visit's id."))
        super().__init__(slug_field="public_id", queryset=Visit.objects.none(), **kwargs)

    def get_queryset(self) -> QuerySet[Visit]:
        return working_material_visible_to(request_user(self.context))


# ---------------------------------------------------------------- findings


class FindingAttachmentSerializer(serializers.ModelSerializer[Attachment]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    download_url = serializers.SerializerMethodField(
        help_text=_("Where the file is downloaded (permission-checked, logged).")
    )

    class Meta:
        model = Attachment
        fields = (
            "id",
            "kind",
            "original_name",
            "content_type",
            "size",
            "description",
            "download_url",
        )
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, obj: Attachment) -> str | None:
        request = self.context.get("request")
        for name, kwargs in (
            ("api:attachment-download", {"id": obj.public_id}),
            ("visits:attachment_download", {"attachment_id": obj.public_id}),
        ):
            try:
                return _absolute(request, reverse(name, kwargs=kwargs))
            except NoReverseMatch:
                continue
        return None


class FindingSerializer(VisitPolicySerializer, serializers.ModelSerializer[Finding]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    url = serializers.HyperlinkedIdentityField(
        view_name="api:finding-detail", lookup_field="public_id", lookup_url_kwarg="id"
    )
    html_url = serializers.SerializerMethodField(help_text=_("The finding's page."))
    visit = VisitField(
        help_text=_("The visit's id; set when the finding is recorded, not changed later.")
    )
    visit_reference = serializers.CharField(source="visit.reference", read_only=True)
    institution = serializers.SlugRelatedField(
        slug_field="public_id",
        queryset=Institution.objects.all(),
        help_text=_("The id of one of the institutions visited."),
    )
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    theme = serializers.ChoiceField(choices=Theme.choices, help_text=_("Taxonomy code T1–T8."))
    severity = serializers.ChoiceField(choices=Severity.choices)
    root_cause = serializers.ChoiceField(
        choices=[("", "—"), *RootCause.choices], required=False, allow_blank=True
    )
    evidence_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=EvidenceKind.choices),
        required=False,
        help_text=_("The kinds of evidence that support the finding."),
    )
    evidence_count = serializers.IntegerField(
        read_only=True, help_text=_("How many kinds of evidence support the finding (of 4).")
    )
    answers = serializers.SlugRelatedField(
        slug_field="public_id",
        many=True,
        required=False,
        queryset=ChecklistAnswer.objects.all(),
        help_text=_("Ids of checklist answers of the same visit and institution."),
    )
    attachments = FindingAttachmentSerializer(many=True, read_only=True)
    created_by = serializers.CharField(source="created_by.full_name", read_only=True)

    class Meta:
        model = Finding
        fields = (
            "id",
            "url",
            "html_url",
            "visit",
            "visit_reference",
            "institution",
            "institution_name",
            "theme",
            "severity",
            "title",
            "description",
            "evidence_kinds",
            "evidence_count",
            "standard_references",
            "root_cause",
            "answers",
            "attachments",
            "created_by",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("created_at", "updated_at")

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, obj: Finding) -> str:
        return _absolute(
            self.context.get("request"),
            reverse("visits:finding_detail", kwargs={"public_id": obj.public_id}),
        )


@extend_schema_view(
    list=extend_schema(
        summary=_("List findings"),
        description=_(
            "Findings of the visits whose working material the caller may read: the "
            "visit's team, coordinators, regional representatives in their regions and "
            "auditors. Never agency liaisons."
        ),
    ),
    retrieve=extend_schema(
        summary=_("Show a finding"),
        description=_("404 for a finding that does not exist or is not visible."),
    ),
    create=extend_schema(
        summary=_("Record a finding"),
        description=_(
            "The visit's team and planners in scope, from the start of the visit until "
            "its report is approved. Validated and audited."
        ),
    ),
    update=extend_schema(summary=_("Replace a finding")),
    partial_update=extend_schema(summary=_("Change some of a finding")),
    destroy=extend_schema(
        summary=_("Delete a finding"),
        description=_("Its photos and documents stay with the visit. Audited."),
    ),
)
class FindingViewSet(
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    mixins.ListModelMixin,
    VigilViewSet[Finding],
):
    """What the team found: theme, severity, evidence, standards and root cause."""

    serializer_class = FindingSerializer
    filterset_class = FindingFilter

    def visible_to(self, user: User | None) -> QuerySet[Finding]:
        return with_details(findings_visible_to(user)).order_by("theme", "id")

    def may_create(self, user: User) -> bool:
        return writes_working_material(user)

    def may_change(self, user: User, obj: Finding) -> bool:
        return can_work_on_visit(user, obj.visit)

    def _reload(self, finding: Finding) -> Finding:
        return with_details(Finding.objects.filter(pk=finding.pk)).get()

    def perform_create(self, serializer: serializers.BaseSerializer[Finding]) -> None:
        data = dict(serializer.validated_data)
        visit = data.pop("visit")
        finding = finding_create(
            actor=self.actor,
            visit=visit,
            data=data,
            context=self.request_context,
        )
        serializer.instance = self._reload(finding)

    def perform_update(self, serializer: serializers.BaseSerializer[Finding]) -> None:
        finding: Finding = serializer.instance  # type: ignore[assignment]
        data = dict(serializer.validated_data)
        visit = data.pop("visit", None)
        if visit is not None and visit.pk != finding.visit_id:
            raise exceptions.ValidationError(
                {"visit": [_("A finding cannot move to another visit.")]}
            )
        finding_update(
            actor=self.actor,
            finding=finding,
            data=data,
            context=self.request_context,
        )
        serializer.instance = self._reload(finding)

    def perform_destroy(self, instance: Finding) -> None:
        finding_delete(actor=self.actor, finding=instance, context=self.request_context)


# ---------------------------------------------------------------- internal notes


class NoteFilter(django_filters.FilterSet):
    visit = django_filters.UUIDFilter(
        label=_("Visit"), field_name="visit__public_id", help_text=_("The visit's id.")
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=NoteKind.choices)

    class Meta:
        model = InternalNote
        fields = ("visit", "kind")


class NoteSerializer(VisitPolicySerializer, serializers.ModelSerializer[InternalNote]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    visit = VisitField()
    visit_reference = serializers.CharField(source="visit.reference", read_only=True)
    kind = serializers.ChoiceField(choices=NoteKind.choices, required=False)
    author = serializers.CharField(source="author.full_name", read_only=True)

    class Meta:
        model = InternalNote
        fields = ("id", "visit", "visit_reference", "kind", "text", "author", "created_at")
        read_only_fields = ("created_at",)


@extend_schema_view(
    list=extend_schema(
        summary=_("List internal notes"),
        description=_(
            "The team's working material, newest first, for the visits whose working "
            "material the caller may read. Never part of a report; never shown to "
            "agency liaisons."
        ),
    ),
    retrieve=extend_schema(summary=_("Show an internal note")),
    create=extend_schema(
        summary=_("Add an internal note"),
        description=_("The visit's team and planners in scope. Audited (without the text)."),
    ),
)
class NoteViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    VigilViewSet[InternalNote],
):
    """Internal notes of a visit: observations, interview notes, register extracts."""

    serializer_class = NoteSerializer
    filterset_class = NoteFilter

    def may_create(self, user: User) -> bool:
        return writes_working_material(user)

    def visible_to(self, user: User | None) -> QuerySet[InternalNote]:
        return notes_visible_to(user).select_related("visit", "author")

    def perform_create(self, serializer: serializers.BaseSerializer[InternalNote]) -> None:
        data = serializer.validated_data
        serializer.instance = note_create(
            actor=self.actor,
            visit=data["visit"],
            kind=data.get("kind") or NoteKind.OBSERVATION,
            text=data["text"],
            context=self.request_context,
        )
