"""Serializers of the UN follow-up's API: what is answered (documents, paragraphs with their
evidence counts, assessments, scales, links, suggestions) and what a write may send.

Who entered a document, recorded an assessment or decided a link, and a link's origin and
similarity score, are dropped by the policy (`..permissions.*_fields_hidden_from`) for every
role but coordinators, administrators and auditors. A related object is named by its public
id or code, among those the caller may see (`ScopedField`): a write never reaches what its
author may not see, it reads as "does not exist".
"""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from vigil.accounts.models import User
from vigil.api.base import FieldPolicySerializer, ScopedField
from vigil.recommendations.models import Recommendation
from vigil.recommendations.permissions import recommendations_visible_to
from vigil.reference.models import Agency
from vigil.visits.enums import Theme
from vigil.visits.models import Finding
from vigil.visits.permissions import findings_visible_to

from ..enums import AssessmentSource, Body, DocumentKind, LinkKind, LinkOrigin
from ..models import (
    Assessment,
    AssessmentScale,
    Document,
    Paragraph,
    ParagraphLink,
    ScaleGrade,
)
from ..permissions import (
    assessment_fields_hidden_from,
    document_fields_hidden_from,
    documents_visible_to,
    link_columns_hidden_from,
    paragraphs_visible_to,
)
from ..selectors import Evidence
from ..services import DOCUMENT_FIELDS

# ---------------------------------------------------------------- related objects


class DocumentField(ScopedField):
    model = Document

    def scope(self, user: User | None) -> QuerySet[Any]:
        return documents_visible_to(user)


class ParagraphField(ScopedField):
    model = Paragraph

    def scope(self, user: User | None) -> QuerySet[Any]:
        return paragraphs_visible_to(user)


class FindingField(ScopedField):
    model = Finding

    def scope(self, user: User | None) -> QuerySet[Any]:
        return findings_visible_to(user)


class RecommendationField(ScopedField):
    model = Recommendation

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "reference")
        kwargs.setdefault(
            "error_messages",
            {"does_not_exist": _("No recommendation you can see has the reference {value}.")},
        )
        super().__init__(**kwargs)

    def scope(self, user: User | None) -> QuerySet[Any]:
        return recommendations_visible_to(user)


def _agencies(**kwargs: Any) -> serializers.SlugRelatedField[Any]:
    return serializers.SlugRelatedField(slug_field="code", queryset=Agency.objects.all(), **kwargs)


def _person() -> serializers.SlugRelatedField[Any]:
    return serializers.SlugRelatedField(slug_field="full_name", read_only=True)


# ---------------------------------------------------------------- documents


class UnDocumentSerializer(FieldPolicySerializer, serializers.ModelSerializer[Document]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    title = serializers.CharField(
        read_only=True, help_text=_("The title in the language asked for, else another.")
    )
    restricted = serializers.BooleanField(
        read_only=True,
        help_text=_("Confidential and not yet published: seen by coordinators only."),
    )
    paragraph_count = serializers.IntegerField(
        read_only=True, help_text=_("How many of its paragraphs the caller sees.")
    )
    url = serializers.CharField(
        read_only=True, help_text=_("The document on the UN's site; empty when none is known.")
    )
    created_by = _person()

    field_policy = staticmethod(document_fields_hidden_from)

    class Meta:
        model = Document
        fields = (
            "id",
            "symbol",
            "body",
            "kind",
            "title",
            "title_en",
            "title_ru",
            "title_kk",
            "adopted_on",
            "confidential",
            "published_on",
            "restricted",
            "url",
            "paragraph_count",
            "created_by",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class UnDocumentWriteSerializer(serializers.ModelSerializer[Document]):
    """A document entered or changed by hand (coordinators and administrators)."""

    body = serializers.ChoiceField(choices=Body.choices)
    kind = serializers.ChoiceField(choices=DocumentKind.choices)

    class Meta:
        model = Document
        fields = DOCUMENT_FIELDS


# ---------------------------------------------------------------- paragraphs


class UnEvidenceSerializer(serializers.Serializer[Evidence]):
    findings = serializers.IntegerField(read_only=True)
    recommendations = serializers.IntegerField(read_only=True)
    visits = serializers.IntegerField(read_only=True)
    open = serializers.IntegerField(
        read_only=True, help_text=_("Issued recommendations neither implemented nor obsolete.")
    )
    implemented = serializers.IntegerField(
        read_only=True, help_text=_("Recommendations implemented, as claimed or verified.")
    )


class UnParagraphSerializer(serializers.ModelSerializer[Paragraph]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    document = serializers.UUIDField(source="document.public_id", read_only=True)
    document_symbol = serializers.CharField(source="document.symbol", read_only=True)
    text = serializers.CharField(
        read_only=True, help_text=_("The text in the language asked for, else another.")
    )
    themes = serializers.ListField(
        source="theme_list",
        child=serializers.ChoiceField(choices=Theme.choices),
        read_only=True,
    )
    addressees: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    evidence = serializers.SerializerMethodField(
        help_text=_(
            "The NPM evidence behind the paragraph, as far as the caller may see it: linked "
            "findings and recommendations (and those behind them), their visits, the open "
            "and the implemented recommendations."
        )
    )

    class Meta:
        model = Paragraph
        fields = (
            "id",
            "document",
            "document_symbol",
            "number",
            "position",
            "text",
            "text_en",
            "text_ru",
            "text_kk",
            "follow_up",
            "themes",
            "addressees",
            "evidence",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields

    @extend_schema_field(UnEvidenceSerializer)
    def get_evidence(self, paragraph: Paragraph) -> dict[str, Any]:
        found = self.context.get("evidence", {}).get(paragraph.pk) or Evidence()
        return dict(UnEvidenceSerializer(found).data)


class UnParagraphWriteSerializer(serializers.Serializer[Any]):
    """A paragraph entered or changed by hand; `document` only when it is entered."""

    document = DocumentField(help_text=_("The document's id."))
    number = serializers.CharField(max_length=20)
    position = serializers.IntegerField(
        min_value=0,
        max_value=1_000_000,
        required=False,
        help_text=_("Its place in the document; after the last one when left out."),
    )
    text_en = serializers.CharField(required=False, allow_blank=True)
    text_ru = serializers.CharField(required=False, allow_blank=True)
    text_kk = serializers.CharField(required=False, allow_blank=True)
    follow_up = serializers.BooleanField(required=False)
    themes = serializers.ListField(
        child=serializers.ChoiceField(choices=Theme.choices),
        required=False,
        max_length=len(Theme.values),
        help_text=_("Theme codes of the taxonomy (T1–T8)."),
    )
    addressees = _agencies(
        many=True,
        required=False,
        help_text=_("Codes of the agencies that must act on it; their liaisons see it."),
    )


# ---------------------------------------------------------------- scales and assessments


class UnGradeSerializer(serializers.ModelSerializer[ScaleGrade]):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = ScaleGrade
        fields = ("code", "name", "name_en", "name_ru", "name_kk", "position", "not_applicable")
        read_only_fields = fields


class UnScaleSerializer(serializers.ModelSerializer[AssessmentScale]):
    name = serializers.CharField(read_only=True)
    grades = UnGradeSerializer(many=True, read_only=True)

    class Meta:
        model = AssessmentScale
        fields = ("code", "name", "name_en", "name_ru", "name_kk", "grades")
        read_only_fields = fields


class UnAssessmentSerializer(FieldPolicySerializer, serializers.ModelSerializer[Assessment]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    paragraph = serializers.UUIDField(source="paragraph.public_id", read_only=True)
    source_label = serializers.CharField(read_only=True)
    scale = serializers.CharField(source="grade.scale.code", read_only=True)
    grade = serializers.CharField(source="grade.code", read_only=True)
    grade_name = serializers.CharField(source="grade.name", read_only=True)
    not_applicable = serializers.BooleanField(source="grade.not_applicable", read_only=True)
    recorded_by = _person()

    field_policy = staticmethod(assessment_fields_hidden_from)

    class Meta:
        model = Assessment
        fields = (
            "id",
            "paragraph",
            "source",
            "source_name",
            "source_label",
            "scale",
            "grade",
            "grade_name",
            "not_applicable",
            "reason",
            "assessed_on",
            "reference",
            "recorded_by",
            "created_at",
        )
        read_only_fields = fields


class UnAssessmentCreateSerializer(serializers.Serializer[Any]):
    paragraph = ParagraphField(help_text=_("The paragraph's id."))
    source = serializers.ChoiceField(choices=AssessmentSource.choices)  # type: ignore[assignment]
    source_name = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("E.g. the NGO Coalition against Torture; empty for the state or the NPM."),
    )
    scale = serializers.SlugRelatedField(
        slug_field="code",
        queryset=AssessmentScale.objects.all(),
        help_text=_("The scale's code, e.g. implementation-1-3."),
    )
    grade = serializers.CharField(
        max_length=10, help_text=_("A grade of the scale, e.g. 2 or n/a.")
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required for a grade meaning not applicable."),
    )
    assessed_on = serializers.DateField()
    reference = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The report or letter the grade comes from."),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        grade = attrs["scale"].grades.filter(code=attrs["grade"].strip()).first()
        if grade is None:
            raise serializers.ValidationError(
                {"grade": [_("This scale has no such grade.")]}, code="invalid"
            )
        attrs["grade"] = grade
        return attrs


# ---------------------------------------------------------------- links


class UnLinkSerializer(FieldPolicySerializer, serializers.ModelSerializer[ParagraphLink]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    paragraph = serializers.UUIDField(source="paragraph.public_id", read_only=True)
    finding: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="public_id", read_only=True
    )
    finding_title = serializers.CharField(source="finding.title", read_only=True, default=None)
    recommendation: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="reference", read_only=True
    )
    systemic_branch: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    decided_by = _person()

    field_policy = staticmethod(link_columns_hidden_from)

    class Meta:
        model = ParagraphLink
        fields = (
            "id",
            "paragraph",
            "kind",
            "status",
            "finding",
            "finding_title",
            "recommendation",
            "systemic_theme",
            "systemic_branch",
            "origin",
            "score",
            "decided_by",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class UnLinkTargetSerializer(serializers.Serializer[Any]):
    """What a link points to: `finding`, `recommendation`, or `theme` with `branch`, by
    `kind`; a record the caller may not see reads as one that does not exist."""

    paragraph = ParagraphField(help_text=_("The paragraph's id."))
    kind = serializers.ChoiceField(choices=LinkKind.choices)
    finding = FindingField(
        required=False, allow_null=True, help_text=_("The finding's id (kind finding).")
    )
    recommendation = RecommendationField(
        required=False,
        allow_null=True,
        help_text=_("The recommendation's reference, e.g. REC-2026-000042 (kind recommendation)."),
    )
    theme = serializers.ChoiceField(
        choices=Theme.choices,
        required=False,
        help_text=_("The theme of the systemic issue (kind systemic)."),
    )
    branch = _agencies(
        required=False,
        allow_null=True,
        help_text=_("The code of the agency whose branch raises it (kind systemic)."),
    )
    score = serializers.FloatField(
        required=False,
        allow_null=True,
        min_value=0.0,
        max_value=1.0,
        help_text=_("The similarity of a suggestion (0–1)."),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kind = attrs["kind"]
        needed = {
            LinkKind.FINDING: ("finding",),
            LinkKind.RECOMMENDATION: ("recommendation",),
            LinkKind.SYSTEMIC: ("theme", "branch"),
        }[kind]
        missing = {name: [_("Required for this kind of link.")] for name in needed}
        for name in needed:
            if attrs.get(name) is not None:
                missing.pop(name)
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class UnLinkCreateSerializer(UnLinkTargetSerializer):
    origin = serializers.ChoiceField(
        choices=LinkOrigin.choices,
        required=False,
        default=LinkOrigin.MANUAL,
        help_text=_("'suggested' when a person confirms a suggestion (with its score)."),
    )


# ---------------------------------------------------------------- suggestions


class UnSuggestedIssueSerializer(serializers.Serializer[Any]):
    theme = serializers.ChoiceField(choices=Theme.choices, read_only=True)
    branch = serializers.CharField(source="branch.code", read_only=True)
    branch_name = serializers.CharField(source="branch.name", read_only=True)
    institutions = serializers.IntegerField(read_only=True)


class UnSuggestedFindingSerializer(serializers.Serializer[Finding]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    title = serializers.CharField(read_only=True)
    theme = serializers.ChoiceField(choices=Theme.choices, read_only=True)


class UnSuggestedRecommendationSerializer(serializers.Serializer[Recommendation]):
    reference = serializers.CharField(read_only=True)
    text = serializers.CharField(read_only=True)
    theme = serializers.ChoiceField(choices=Theme.choices, read_only=True)


class UnSuggestionSerializer(serializers.Serializer[Any]):
    """A record the paragraph resembles, for a person to confirm (`POST` a link with
    `origin` suggested and the score) or reject (`links/reject/`)."""

    kind = serializers.ChoiceField(choices=LinkKind.choices, read_only=True)
    score = serializers.FloatField(read_only=True, help_text=_("Similarity, 0–1."))
    finding = UnSuggestedFindingSerializer(read_only=True, allow_null=True)
    recommendation = UnSuggestedRecommendationSerializer(read_only=True, allow_null=True)
    systemic = UnSuggestedIssueSerializer(read_only=True, allow_null=True)
