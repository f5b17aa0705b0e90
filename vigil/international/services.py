"""Writes of the UN follow-up: documents and paragraphs entered by hand, links to the NPM's
evidence confirmed or rejected by a person, assessments recorded. Each write checks the policy,
validates, and keeps its audit row and timeline event in the same transaction.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record
from vigil.recommendations.models import Recommendation
from vigil.recommendations.permissions import recommendations_visible_to
from vigil.reference.models import Agency
from vigil.visits.enums import Theme
from vigil.visits.models import Finding
from vigil.visits.permissions import findings_visible_to

from .enums import EventKind, LinkKind, LinkOrigin, LinkStatus
from .models import Assessment, Document, Paragraph, ParagraphLink, ScaleGrade
from .permissions import can_manage_international
from .timeline import record_event

DOCUMENT_FIELDS = (
    "symbol",
    "body",
    "kind",
    "title_en",
    "title_ru",
    "title_kk",
    "adopted_on",
    "confidential",
    "published_on",
    "url",
)
PARAGRAPH_FIELDS = (
    "number",
    "position",
    "text_en",
    "text_ru",
    "text_kk",
    "follow_up",
    "themes",
)


@dataclass(frozen=True)
class SystemicTarget:
    """A widespread systemic issue: a theme raised across one branch of the agency tree."""

    theme: str
    branch: Agency


type LinkTarget = Finding | Recommendation | SystemicTarget


def _require_manager(actor: User) -> None:
    if not can_manage_international(actor):
        raise PermissionDenied(_("Only coordinators enter and assess UN recommendations."))


def _set(obj: object, fields: Mapping[str, Any], allowed: Iterable[str]) -> list[str]:
    allowed = tuple(allowed)
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise ValueError(f"Not settable: {', '.join(unknown)}")
    changed = []
    for name, value in fields.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


@transaction.atomic
def document_create(
    *, actor: User, context: RequestContext | None = None, **fields: Any
) -> Document:
    _require_manager(actor)
    document = Document(created_by=actor)
    _set(document, fields, DOCUMENT_FIELDS)
    document.full_clean()
    document.save()
    audit_record(
        actor=actor,
        action=AuditAction.UN_DOCUMENT_CREATED,
        target=document,
        data={"symbol": document.symbol, "confidential": document.confidential},
        context=context,
    )
    return document


@transaction.atomic
def document_update(
    *, actor: User, document: Document, context: RequestContext | None = None, **fields: Any
) -> Document:
    _require_manager(actor)
    was_restricted = document.restricted
    changed = _set(document, fields, DOCUMENT_FIELDS)
    if not changed:
        return document
    document.full_clean()
    document.save()
    audit_record(
        actor=actor,
        action=AuditAction.UN_DOCUMENT_UPDATED,
        target=document,
        data={"changed": sorted(changed)},
        context=context,
    )
    if was_restricted and not document.restricted:
        for paragraph in document.paragraphs.all():
            record_event(
                paragraph,
                EventKind.PUBLISHED,
                actor=actor,
                data={"published_on": str(document.published_on or "")},
            )
    return document


@transaction.atomic
def paragraph_create(
    *,
    actor: User,
    document: Document,
    addressees: Iterable[Agency] = (),
    context: RequestContext | None = None,
    **fields: Any,
) -> Paragraph:
    _require_manager(actor)
    paragraph = Paragraph(document=document)
    _set(paragraph, fields, PARAGRAPH_FIELDS)
    if "position" not in fields:
        last = document.paragraphs.order_by("-position").values_list("position", flat=True)
        paragraph.position = (last.first() or 0) + 1
    paragraph.full_clean()
    paragraph.save()
    paragraph.addressees.set(list(addressees))
    audit_record(
        actor=actor,
        action=AuditAction.UN_PARAGRAPH_CREATED,
        target=paragraph,
        data={"document": document.symbol, "number": paragraph.number},
        context=context,
    )
    record_event(paragraph, EventKind.CREATED, actor=actor)
    return paragraph


@transaction.atomic
def paragraph_update(
    *,
    actor: User,
    paragraph: Paragraph,
    addressees: Iterable[Agency] | None = None,
    context: RequestContext | None = None,
    **fields: Any,
) -> Paragraph:
    _require_manager(actor)
    changed = _set(paragraph, fields, PARAGRAPH_FIELDS)
    paragraph.full_clean()
    paragraph.save()
    if addressees is not None:
        new = {agency.pk for agency in addressees}
        if new != set(paragraph.addressees.values_list("pk", flat=True)):
            paragraph.addressees.set(list(new))
            changed.append("addressees")
    if changed:
        audit_record(
            actor=actor,
            action=AuditAction.UN_PARAGRAPH_UPDATED,
            target=paragraph,
            data={"changed": sorted(changed)},
            context=context,
        )
        record_event(paragraph, EventKind.EDITED, actor=actor, data={"changed": sorted(changed)})
    return paragraph


@transaction.atomic
def assessment_record(
    *,
    actor: User,
    paragraph: Paragraph,
    source: str,
    grade: ScaleGrade,
    assessed_on: datetime.date,
    source_name: str = "",
    reason: str = "",
    reference: str = "",
    context: RequestContext | None = None,
) -> Assessment:
    """Keep one source's grade of the paragraph (a new row; the earlier ones stay as history)."""
    _require_manager(actor)
    assessment = Assessment(
        paragraph=paragraph,
        source=source,
        source_name=source_name.strip(),
        grade=grade,
        reason=reason.strip(),
        assessed_on=assessed_on,
        reference=reference.strip(),
        recorded_by=actor,
    )
    assessment.full_clean()
    assessment.save()
    data = {
        "source": source,
        "source_name": assessment.source_name,
        "scale": grade.scale.code,
        "grade": grade.code,
        "assessed_on": assessed_on.isoformat(),
    }
    audit_record(
        actor=actor,
        action=AuditAction.UN_ASSESSMENT_RECORDED,
        target=paragraph,
        data=data,
        context=context,
    )
    record_event(paragraph, EventKind.ASSESSED, actor=actor, note=assessment.reason, data=data)
    return assessment


def _target_fields(actor: User, target: LinkTarget) -> dict[str, Any]:
    """The link's columns for a target the actor may see (else a validation error)."""
    if isinstance(target, Finding):
        if not findings_visible_to(actor).filter(pk=target.pk).exists():
            raise ValidationError(_("This finding is not one you may see."))
        return {"kind": LinkKind.FINDING, "finding": target}
    if isinstance(target, Recommendation):
        if not recommendations_visible_to(actor).filter(pk=target.pk).exists():
            raise ValidationError(_("This recommendation is not one you may see."))
        return {"kind": LinkKind.RECOMMENDATION, "recommendation": target}
    if target.theme not in Theme.values:
        raise ValidationError(_("Unknown theme: %(codes)s.") % {"codes": target.theme})
    return {
        "kind": LinkKind.SYSTEMIC,
        "systemic_theme": target.theme,
        "systemic_branch": target.branch,
    }


def _describe(fields: Mapping[str, Any]) -> dict[str, str]:
    if fields["kind"] == LinkKind.FINDING:
        return {"kind": fields["kind"], "finding": str(fields["finding"].public_id)}
    if fields["kind"] == LinkKind.RECOMMENDATION:
        return {"kind": fields["kind"], "recommendation": fields["recommendation"].reference}
    return {
        "kind": fields["kind"],
        "theme": fields["systemic_theme"],
        "branch": fields["systemic_branch"].code,
    }


def _decide(
    *,
    actor: User,
    paragraph: Paragraph,
    target: LinkTarget,
    status: str,
    origin: str,
    score: float | None,
    context: RequestContext | None,
) -> ParagraphLink:
    _require_manager(actor)
    fields = _target_fields(actor, target)
    link = ParagraphLink.objects.filter(paragraph=paragraph, **fields).first()
    if link is None:
        link = ParagraphLink(paragraph=paragraph, **fields)
    elif link.status == status:
        return link
    link.status = status
    link.origin = origin
    link.score = score
    link.decided_by = actor
    link.full_clean()
    link.save()
    described = _describe(fields)
    confirmed = status == LinkStatus.CONFIRMED
    audit_record(
        actor=actor,
        action=AuditAction.UN_PARAGRAPH_LINKED if confirmed else AuditAction.UN_LINK_REJECTED,
        target=paragraph,
        data={**described, "origin": origin},
        context=context,
    )
    record_event(
        paragraph,
        EventKind.LINKED if confirmed else EventKind.LINK_REJECTED,
        actor=actor,
        data=described,
    )
    return link


@transaction.atomic
def link_confirm(
    *,
    actor: User,
    paragraph: Paragraph,
    target: LinkTarget,
    origin: str = LinkOrigin.MANUAL,
    score: float | None = None,
    context: RequestContext | None = None,
) -> ParagraphLink:
    """Link the paragraph to a finding, recommendation or systemic issue (a person decides:
    from a suggestion, `origin=SUGGESTED` with its score, or chosen by hand)."""
    return _decide(
        actor=actor,
        paragraph=paragraph,
        target=target,
        status=LinkStatus.CONFIRMED,
        origin=origin,
        score=score,
        context=context,
    )


@transaction.atomic
def link_reject(
    *,
    actor: User,
    paragraph: Paragraph,
    target: LinkTarget,
    score: float | None = None,
    context: RequestContext | None = None,
) -> ParagraphLink:
    """Turn a suggestion down: it is kept as rejected and not suggested again."""
    return _decide(
        actor=actor,
        paragraph=paragraph,
        target=target,
        status=LinkStatus.REJECTED,
        origin=LinkOrigin.SUGGESTED,
        score=score,
        context=context,
    )


@transaction.atomic
def link_remove(*, actor: User, link: ParagraphLink, context: RequestContext | None = None) -> None:
    """Remove a confirmed link (a mistake): the timeline and the audit log keep that it was."""
    _require_manager(actor)
    fields: dict[str, Any] = {"kind": link.kind}
    if link.kind == LinkKind.FINDING:
        fields["finding"] = link.finding
    elif link.kind == LinkKind.RECOMMENDATION:
        fields["recommendation"] = link.recommendation
    else:
        fields["systemic_theme"] = link.systemic_theme
        fields["systemic_branch"] = link.systemic_branch
    described = _describe(fields)
    paragraph = link.paragraph
    link.delete()
    audit_record(
        actor=actor,
        action=AuditAction.UN_LINK_REMOVED,
        target=paragraph,
        data=described,
        context=context,
    )
    record_event(paragraph, EventKind.UNLINKED, actor=actor, data=described)
