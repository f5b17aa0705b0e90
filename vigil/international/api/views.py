"""API v1 of the UN follow-up (`/api/v1/international/...`): documents, paragraphs (with their
evidence counts and, for coordinators, the link suggestions), assessments, scales and links.

Thin edge: reads come from the policy (`..permissions.*_visible_to`; what is not visible
answers 404: a confidential SPT report the state has not published exists for coordinators
and administrators only, a liaison sees the published documents that address its agency and of
them only those paragraphs), writes go through `..services` (permission-checked, validated,
audited and put on the paragraph's timeline there). Assessments are a history: recorded, never
changed or deleted (405).
"""

from typing import Any

from django.db.models import Count, Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from vigil.accounts.models import User
from vigil.api.base import UUID_PATTERN, AuthenticatedRequest, VigilViewSet, VigilViewSetMixin
from vigil.recommendations.permissions import recommendations_visible_to
from vigil.visits.permissions import findings_visible_to

from ..enums import LinkKind
from ..filters import AssessmentFilter, DocumentFilter, LinkFilter, ParagraphFilter
from ..models import Assessment, AssessmentScale, Document, Paragraph, ParagraphLink
from ..permissions import (
    assessments_visible_to,
    can_manage_international,
    can_view_link_suggestions,
    documents_visible_to,
    links_visible_to,
    paragraphs_visible_to,
)
from ..selectors import evidence_of, link_suggestions
from ..services import (
    LinkTarget,
    SystemicTarget,
    assessment_record,
    document_create,
    document_update,
    link_confirm,
    link_reject,
    link_remove,
    paragraph_create,
    paragraph_update,
)
from .serializers import (
    UnAssessmentCreateSerializer,
    UnAssessmentSerializer,
    UnDocumentSerializer,
    UnDocumentWriteSerializer,
    UnLinkCreateSerializer,
    UnLinkSerializer,
    UnLinkTargetSerializer,
    UnParagraphSerializer,
    UnParagraphWriteSerializer,
    UnScaleSerializer,
    UnSuggestionSerializer,
)

_DENIED = _("Only coordinators enter and assess UN recommendations.")


def _input(request: Request, serializer_class: Any, **kwargs: Any) -> dict[str, Any]:
    serializer = serializer_class(data=request.data, context={"request": request}, **kwargs)
    serializer.is_valid(raise_exception=True)
    data = dict(serializer.validated_data)
    if kwargs.get("partial"):
        data = {name: value for name, value in data.items() if name in request.data}
    return data


class _Managed[M: Model](VigilViewSet[M]):
    """Coordinators and administrators write; everyone else is refused (403) before the body
    is read, for an object they see."""

    lookup_value_regex = UUID_PATTERN
    denied_message = _DENIED

    def may_create(self, user: User) -> bool:
        return can_manage_international(user)

    def may_change(self, user: User, obj: M) -> bool:
        return can_manage_international(user)

    def _show(self, obj: M, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=obj.pk)
        return Response(self.get_serializer(fresh).data, status=code)


# ---------------------------------------------------------------- documents


@extend_schema_view(
    list=extend_schema(
        summary=_("List UN documents"),
        description=_(
            "Coordinators and administrators see every document; regional representatives, "
            "monitors and auditors the published ones (not confidential, or confidential "
            "with a publication date); an agency liaison the published documents with a "
            "paragraph addressed to its agency or a sub-unit. Filters: body, kind, year "
            "(adopted in), adopted_from, adopted_to, follow_up."
        ),
    ),
    retrieve=extend_schema(
        summary=_("Show a UN document"),
        description=_("404 for a document that does not exist or is not visible."),
    ),
)
class DocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Managed[Document]):
    """Documents of UN bodies (CAT, SPT, UPR, treaty bodies, special procedures)."""

    serializer_class = UnDocumentSerializer
    filterset_class = DocumentFilter

    def visible_to(self, user: User | None) -> QuerySet[Document]:
        if getattr(self, "swagger_fake_view", False):
            return Document.objects.none()
        seen = paragraphs_visible_to(user).values("pk")
        return (
            documents_visible_to(user)
            .select_related("created_by")
            .annotate(
                paragraph_count=Count("paragraphs", filter=Q(paragraphs__in=seen), distinct=True)
            )
            .order_by("-adopted_on", "symbol")
        )

    @extend_schema(
        summary=_("Enter a UN document"),
        description=_("Coordinators and administrators. Validated and audited."),
        request=UnDocumentWriteSerializer,
        responses={201: UnDocumentSerializer},
    )
    def create(self, request: Request) -> Response:
        data = _input(request, UnDocumentWriteSerializer)
        document = document_create(actor=self.actor, context=self.request_context, **data)
        return self._show(document, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Change a UN document"),
        description=_(
            "Coordinators and administrators; only the fields sent change. A confidential "
            "report given its publication date becomes visible to the other roles. Audited."
        ),
        request=UnDocumentWriteSerializer(partial=True),
        responses={200: UnDocumentSerializer},
    )
    def partial_update(self, request: Request, id: str) -> Response:
        document = self.get_object()
        data = _input(request, UnDocumentWriteSerializer, instance=document, partial=True)
        document_update(actor=self.actor, document=document, context=self.request_context, **data)
        return self._show(document)


# ---------------------------------------------------------------- paragraphs


@extend_schema_view(
    list=extend_schema(
        summary=_("List paragraphs of UN documents"),
        description=_(
            "The paragraphs of the documents the caller sees (an agency liaison: only those "
            "addressed to its agency or a sub-unit), in the documents' order, each with the "
            "NPM evidence counted behind it. Filters: document (id or symbol), theme, "
            "follow_up, addressee (agency code, with sub-units)."
        ),
    ),
    retrieve=extend_schema(
        summary=_("Show a paragraph"),
        description=_("404 for a paragraph that does not exist or is not visible."),
    ),
)
class ParagraphViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Managed[Paragraph]):
    """Paragraphs of UN documents: number, text by language, follow-up flag, themes,
    addressees and the NPM evidence behind each."""

    serializer_class = UnParagraphSerializer
    filterset_class = ParagraphFilter

    def visible_to(self, user: User | None) -> QuerySet[Paragraph]:
        if getattr(self, "swagger_fake_view", False):
            return Paragraph.objects.none()
        return (
            paragraphs_visible_to(user)
            .select_related("document")
            .prefetch_related("addressees")
            .order_by("-document__adopted_on", "document__symbol", "position", "id")
        )

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        """The paragraphs answered carry their evidence, counted for all of them at once
        (`evidence_of`: a constant number of queries for a page)."""
        instance = args[0] if args else kwargs.get("instance")
        if instance is not None and "data" not in kwargs:
            rows = list(instance) if kwargs.get("many") else [instance]
            kwargs["context"] = {
                **self.get_serializer_context(),
                "evidence": evidence_of(self.actor, rows),
            }
        return super().get_serializer(*args, **kwargs)

    @staticmethod
    def _fields(data: dict[str, Any]) -> dict[str, Any]:
        if "themes" in data:
            data["themes"] = " ".join(data["themes"])
        return data

    @extend_schema(
        summary=_("Enter a paragraph"),
        description=_(
            "Coordinators and administrators; the number is unique in its document, the "
            "text given in at least one language. Audited, on the paragraph's timeline."
        ),
        request=UnParagraphWriteSerializer,
        responses={201: UnParagraphSerializer},
    )
    def create(self, request: Request) -> Response:
        data = self._fields(_input(request, UnParagraphWriteSerializer))
        paragraph = paragraph_create(
            actor=self.actor,
            document=data.pop("document"),
            addressees=data.pop("addressees", ()),
            context=self.request_context,
            **data,
        )
        return self._show(paragraph, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Change a paragraph"),
        description=_(
            "Coordinators and administrators; only the fields sent change; it stays in its "
            "document. Audited, on the paragraph's timeline."
        ),
        request=UnParagraphWriteSerializer(partial=True),
        responses={200: UnParagraphSerializer},
    )
    def partial_update(self, request: Request, id: str) -> Response:
        paragraph = self.get_object()
        data = self._fields(_input(request, UnParagraphWriteSerializer, partial=True))
        document = data.pop("document", None)
        if document is not None and document.pk != paragraph.document_id:
            raise exceptions.ValidationError(
                {"document": [_("A paragraph cannot move to another document.")]}
            )
        paragraph_update(
            actor=self.actor,
            paragraph=paragraph,
            addressees=data.pop("addressees", None),
            context=self.request_context,
            **data,
        )
        return self._show(paragraph)

    @extend_schema(
        summary=_("Suggested evidence for a paragraph"),
        description=_(
            "Coordinators and administrators: the findings, recommendations and widespread "
            "systemic issues the paragraph's text most resembles, best first, leaving out "
            "what a person already linked or rejected. A person decides: confirm one with "
            "POST /international/links/ (origin 'suggested', with its score) or turn it "
            "down with POST /international/links/reject/."
        ),
        responses={200: UnSuggestionSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def suggestions(self, request: AuthenticatedRequest, id: str) -> Response:
        paragraph = self.get_object()
        if not can_view_link_suggestions(self.actor):
            raise exceptions.PermissionDenied(str(_DENIED))
        found = link_suggestions(self.actor, paragraph)
        return Response(UnSuggestionSerializer(found, many=True).data)


# ---------------------------------------------------------------- scales


@extend_schema_view(
    list=extend_schema(
        summary=_("List assessment scales"),
        description=_("The grading scales (1–3, A–E, …) with their grades, for every role."),
    ),
    retrieve=extend_schema(summary=_("Show an assessment scale")),
)
class ScaleViewSet(
    VigilViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[AssessmentScale],
):
    """Assessment scales and their grades (reference data, read-only)."""

    serializer_class = UnScaleSerializer
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet[AssessmentScale]:
        return AssessmentScale.objects.prefetch_related("grades").order_by("code")


# ---------------------------------------------------------------- assessments


@extend_schema_view(
    list=extend_schema(
        summary=_("List assessments of paragraphs"),
        description=_(
            "Every grade recorded for the paragraphs the caller sees, the history included "
            "(the latest per source is the current one). Filters: paragraph, document, "
            "source, source_name, scale."
        ),
    ),
    retrieve=extend_schema(summary=_("Show an assessment")),
)
class AssessmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Managed[Assessment]):
    """One source's grade of one paragraph on one day; never changed (a later grade is a
    new assessment), so neither replaced nor deleted (405)."""

    serializer_class = UnAssessmentSerializer
    filterset_class = AssessmentFilter

    def visible_to(self, user: User | None) -> QuerySet[Assessment]:
        if getattr(self, "swagger_fake_view", False):
            return Assessment.objects.none()
        return (
            assessments_visible_to(user)
            .select_related("paragraph", "grade", "grade__scale", "recorded_by")
            .order_by("paragraph_id", "source", "source_name", "-assessed_on", "-id")
        )

    @extend_schema(
        summary=_("Record an assessment"),
        description=_(
            "Coordinators and administrators: a source's grade of a paragraph on a scale, "
            "dated; a grade meaning not applicable needs its reason. A new row each time, "
            "the earlier ones stay as history. Audited, on the paragraph's timeline."
        ),
        request=UnAssessmentCreateSerializer,
        responses={201: UnAssessmentSerializer},
    )
    def create(self, request: Request) -> Response:
        data = _input(request, UnAssessmentCreateSerializer)
        assessment = assessment_record(
            actor=self.actor,
            paragraph=data["paragraph"],
            source=data["source"],
            source_name=data["source_name"],
            grade=data["grade"],
            reason=data["reason"],
            assessed_on=data["assessed_on"],
            reference=data["reference"],
            context=self.request_context,
        )
        return self._show(assessment, status.HTTP_201_CREATED)


# ---------------------------------------------------------------- links


def _target(data: dict[str, Any]) -> LinkTarget:
    kind = data["kind"]
    if kind == LinkKind.FINDING:
        return data["finding"]  # type: ignore[no-any-return]
    if kind == LinkKind.RECOMMENDATION:
        return data["recommendation"]  # type: ignore[no-any-return]
    return SystemicTarget(theme=data["theme"], branch=data["branch"])


@extend_schema_view(
    list=extend_schema(
        summary=_("List links of paragraphs to NPM evidence"),
        description=_(
            "The confirmed links of the paragraphs the caller sees, to findings and "
            "recommendations the caller may see and to systemic issues; coordinators and "
            "administrators also the rejected suggestions. Filters: paragraph, kind, status."
        ),
    ),
    retrieve=extend_schema(summary=_("Show a link")),
    destroy=extend_schema(
        summary=_("Remove a link"),
        description=_(
            "Coordinators and administrators undo a link made by mistake; the paragraph's "
            "timeline and the audit log keep that it was."
        ),
    ),
)
class LinkViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    _Managed[ParagraphLink],
):
    """Links decided by a person from a paragraph to a finding, a recommendation or a
    widespread systemic issue (a theme across a branch of the agency tree)."""

    serializer_class = UnLinkSerializer
    filterset_class = LinkFilter

    def visible_to(self, user: User | None) -> QuerySet[ParagraphLink]:
        if getattr(self, "swagger_fake_view", False):
            return ParagraphLink.objects.none()
        target_seen = (
            Q(kind=LinkKind.FINDING, finding__in=findings_visible_to(user))
            | Q(kind=LinkKind.RECOMMENDATION, recommendation__in=recommendations_visible_to(user))
            | Q(kind=LinkKind.SYSTEMIC)
        )
        return (
            links_visible_to(user)
            .filter(target_seen)
            .select_related(
                "paragraph", "finding", "recommendation", "systemic_branch", "decided_by"
            )
            .order_by("paragraph_id", "kind", "id")
        )

    @extend_schema(
        summary=_("Link a paragraph to NPM evidence"),
        description=_(
            "Coordinators and administrators: `kind` finding with `finding` (its id), "
            "recommendation with `recommendation` (its reference), systemic with `theme` and "
            "`branch` (an agency code); `origin` 'suggested' with the suggestion's `score` "
            "when a person confirms a suggestion. A rejected suggestion confirmed later "
            "becomes a link. Audited, on the paragraph's timeline."
        ),
        request=UnLinkCreateSerializer,
        responses={201: UnLinkSerializer},
    )
    def create(self, request: Request) -> Response:
        data = _input(request, UnLinkCreateSerializer)
        link = link_confirm(
            actor=self.actor,
            paragraph=data["paragraph"],
            target=_target(data),
            origin=data["origin"],
            score=data.get("score"),
            context=self.request_context,
        )
        return self._show(link, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Reject a suggested link"),
        description=_(
            "Coordinators and administrators turn a suggestion down: it is kept as rejected "
            "and not suggested again. The same body as a link, without `origin`."
        ),
        request=UnLinkTargetSerializer,
        responses={200: UnLinkSerializer},
    )
    @action(detail=False, methods=["post"], pagination_class=None, filterset_class=None)
    def reject(self, request: AuthenticatedRequest) -> Response:
        if not can_manage_international(self.actor):
            raise exceptions.PermissionDenied(str(_DENIED))
        data = _input(request, UnLinkTargetSerializer)
        link = link_reject(
            actor=self.actor,
            paragraph=data["paragraph"],
            target=_target(data),
            score=data.get("score"),
            context=self.request_context,
        )
        return self._show(link)

    def perform_destroy(self, instance: ParagraphLink) -> None:
        link_remove(actor=self.actor, link=instance, context=self.request_context)
