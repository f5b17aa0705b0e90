"""Who may see and do what with UN documents, paragraphs, links and assessments. Default: deny.
The one policy (docs/permissions.md, "UN follow-up"):

- coordinators and administrators see every document, a confidential one too (an SPT report
  the state has not published), and are the only ones who enter, import, link and assess;
- regional representatives, monitors and auditors read the published documents (not
  confidential, or confidential with a publication date) with every paragraph;
- an agency liaison reads only the published documents that address its agency or a sub-unit,
  and of them only the paragraphs addressed there; it never sees who recorded what;
- anonymous users and everything else: nothing (404 for an object).

The NPM evidence shown beside a paragraph is always filtered again by the policy of its own
app (`findings_visible_to`, `recommendations_visible_to`): a link never reveals a record.
"""

from typing import TypeGuard

from django.db.models import Model, Q, QuerySet

from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.reference.selectors import agency_subtree_ids

from .enums import LinkStatus
from .models import Assessment, Document, Paragraph, ParagraphLink

_MANAGERS = (Role.ADMIN, Role.COORDINATOR)
_READ_PUBLISHED = (Role.REGIONAL, Role.MONITOR, Role.AUDITOR)

_PUBLISHED = Q(confidential=False) | Q(published_on__isnull=False)


def _active(user: User | None) -> TypeGuard[User]:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _liaison_agencies(user: User) -> list[int]:
    return agency_subtree_ids(user.agency) if user.agency_id else []


def documents_visible_to(user: User | None) -> QuerySet[Document]:
    qs = Document.objects.all()
    if _active(user):
        if user.role in _MANAGERS:
            return qs
        if user.role in _READ_PUBLISHED:
            return qs.filter(_PUBLISHED)
        if user.role == Role.LIAISON:
            addressed = Paragraph.objects.filter(addressees__in=_liaison_agencies(user))
            return qs.filter(_PUBLISHED, pk__in=addressed.values("document_id"))
    return qs.none()


def paragraphs_visible_to(user: User | None) -> QuerySet[Paragraph]:
    qs = Paragraph.objects.all()
    if _active(user):
        if user.role in _MANAGERS:
            return qs
        if user.role in _READ_PUBLISHED:
            return qs.filter(document__in=documents_visible_to(user))
        if user.role == Role.LIAISON:
            addressed = Paragraph.objects.filter(addressees__in=_liaison_agencies(user))
            return qs.filter(pk__in=addressed.values("pk"), document__in=documents_visible_to(user))
    return qs.none()


def can_view_international(user: User | None) -> bool:
    """The menu entry and the list of documents."""
    return _active(user) and user.role in (*_MANAGERS, *_READ_PUBLISHED, Role.LIAISON)


def can_view_document(user: User | None, document: Document) -> bool:
    return documents_visible_to(user).filter(pk=document.pk).exists()


def can_view_paragraph(user: User | None, paragraph: Paragraph) -> bool:
    return paragraphs_visible_to(user).filter(pk=paragraph.pk).exists()


def can_manage_international(user: User | None) -> bool:
    """Enter and edit documents and paragraphs, import, link evidence, record assessments."""
    return _active(user) and user.role in _MANAGERS


def can_see_confidential_documents(user: User | None) -> bool:
    return _active(user) and user.role in _MANAGERS


def can_see_recorders(user: User | None) -> bool:
    """Who entered a document, recorded an assessment or decided a link."""
    return _active(user) and user.role in (*_MANAGERS, Role.AUDITOR)


def can_view_link_suggestions(user: User | None) -> bool:
    return can_manage_international(user)


def links_visible_to(user: User | None) -> QuerySet[ParagraphLink]:
    """Confirmed links of the paragraphs the user sees (rejected ones: managers only). The
    target of each link is filtered again by its own app's policy where it is shown."""
    qs = ParagraphLink.objects.filter(paragraph__in=paragraphs_visible_to(user))
    if not can_manage_international(user):
        qs = qs.filter(status=LinkStatus.CONFIRMED)
    return qs


def assessments_visible_to(user: User | None) -> QuerySet[Assessment]:
    return Assessment.objects.filter(paragraph__in=paragraphs_visible_to(user))


_HIDDEN_FROM_READERS: dict[type[Model], frozenset[str]] = {
    Document: frozenset({"created_by"}),
    Assessment: frozenset({"recorded_by"}),
    ParagraphLink: frozenset({"decided_by", "score", "origin"}),
}


def hidden_fields(user: User | None, model: type[Model]) -> frozenset[str]:
    """The fields of `model` the user may not see."""
    if can_see_recorders(user):
        return frozenset()
    return _HIDDEN_FROM_READERS.get(model, frozenset())


def document_fields_hidden_from(user: User | None) -> frozenset[str]:
    """The fields of a document the user may not read (the API's field policy)."""
    return hidden_fields(user, Document)


def assessment_fields_hidden_from(user: User | None) -> frozenset[str]:
    return hidden_fields(user, Assessment)


def link_columns_hidden_from(user: User | None) -> frozenset[str]:
    """A link's fields the user may not read. Not named `*_fields_hidden_from` like the others:
    the API-wide check that no serializer shows a liaison a field some policy hides would then
    forbid every `score` and `origin` (a repeat's similarity, an incident's origin)."""
    return hidden_fields(user, ParagraphLink)
