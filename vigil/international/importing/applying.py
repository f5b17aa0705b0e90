"""Writing a checked file of UN paragraphs: documents, paragraphs, addressees, assessments.

The pipeline (`vigil.core.importing`) runs this in its transaction after a check that found
no error, and writes the import's one audit event (`UN_DOCUMENTS_IMPORTED`, with the counts
of `UnPlan.audit_data`). Paragraphs and assessments are written in bulk; each paragraph's
timeline gets its events (`new_event` / `record_events`): IMPORTED for a new paragraph,
EDITED for a changed one, ASSESSED for each new assessment, PUBLISHED when the file
publishes a confidential document.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.core.importing import CREATE, UPDATE, ImportIssue, ImportValidationError
from vigil.core.models import ImportBatch

from ..enums import EventKind
from ..models import Assessment, Document, Paragraph, ParagraphEvent
from ..timeline import new_event, record_events
from .plans import ParagraphPlan, UnPlan

BATCH_SIZE = 500


def _documents(plan: UnPlan, actor: User | None) -> tuple[dict[str, Document], list[Document]]:
    """Every document of the file by symbol, created or changed; and those it publishes."""
    documents: dict[str, Document] = {}
    published: list[Document] = []
    for symbol, planned in plan.documents.items():
        document = planned.instance
        if document is None:
            document = Document(symbol=symbol, created_by=actor, **planned.values)
            document.save(force_insert=True)
        elif planned.changes:
            was_restricted = document.restricted
            for name, value in planned.values.items():
                setattr(document, name, value)
            document.save(update_fields=[*planned.values, "updated_at"])
            if was_restricted and not document.restricted:
                published.append(document)
        documents[symbol] = document
    return documents, published


def _paragraphs(
    plan: UnPlan, documents: dict[str, Document]
) -> tuple[list[ParagraphPlan], list[ParagraphPlan]]:
    """Create the new paragraphs (in bulk) and save the changed ones."""
    creates = [p for p in plan.paragraphs.values() if p.creates]
    updates = [p for p in plan.paragraphs.values() if not p.creates and p.changes]
    new = [
        Paragraph(
            document=documents[planned.key[0]],
            number=planned.key[1],
            position=planned.position,
            **planned.values,
        )
        for planned in creates
    ]
    Paragraph.objects.bulk_create(new, batch_size=BATCH_SIZE)
    for planned, made in zip(creates, new, strict=True):
        planned.instance = made
    through = Paragraph.addressees.through
    links = [
        through(paragraph_id=planned.instance.pk, agency_id=agency.pk)
        for planned in creates
        if planned.instance is not None
        for agency in planned.addressees or ()
    ]
    through.objects.bulk_create(links, batch_size=BATCH_SIZE)
    now = timezone.now()
    for planned in updates:
        paragraph = planned.instance
        if paragraph is None:  # an update always has its paragraph
            continue
        fields = [name for name in planned.values if name in planned.changes]
        for name in fields:
            setattr(paragraph, name, planned.values[name])
        paragraph.updated_at = now
        paragraph.save(update_fields=[*fields, "updated_at"])
        if "addressees" in planned.changes and planned.addressees is not None:
            paragraph.addressees.set(planned.addressees)
    return creates, updates


def _source(plan: UnPlan, batch: ImportBatch | None) -> dict[str, Any]:
    return {"file_name": plan.file_name, "batch": str(batch.public_id) if batch else None}


def un_write(
    plan: UnPlan,
    *,
    actor: User | None,
    context: RequestContext | None = None,
    batch: ImportBatch | None = None,
) -> tuple[int, int]:
    """Write the plan; returns the rows (created, updated). Raises ImportValidationError when
    another writer got there first."""
    source = _source(plan, batch)
    try:
        with transaction.atomic():
            documents, published = _documents(plan, actor)
            creates, updates = _paragraphs(plan, documents)
            paragraphs = {key: p.instance for key, p in plan.paragraphs.items()}
            assessments = [
                Assessment(
                    paragraph=paragraphs[planned.key],
                    source=planned.source,
                    source_name=planned.source_name,
                    grade=planned.grade,
                    reason=planned.reason,
                    assessed_on=planned.assessed_on,
                    reference=planned.reference,
                    recorded_by=actor,
                )
                for planned in plan.assessments
                if planned.creates
            ]
            Assessment.objects.bulk_create(assessments, batch_size=BATCH_SIZE)
    except IntegrityError:
        failed = UnPlan(file_name=plan.file_name, file_format=plan.file_format)
        failed.errors.append(
            ImportIssue(
                None,
                "",
                _(
                    "Another import or change wrote some of these documents or paragraphs "
                    "meanwhile; nothing was imported. Check the file again."
                ),
            )
        )
        raise ImportValidationError(failed) from None

    events: list[ParagraphEvent] = []
    for planned in creates:
        assert planned.instance is not None  # noqa: S101 (created above)
        events.append(
            new_event(
                planned.instance,
                EventKind.IMPORTED,
                actor=actor,
                data={"row": planned.first_row, **source},
            )
        )
    events.extend(
        new_event(
            planned.instance,
            EventKind.EDITED,
            actor=actor,
            data={"changed": sorted(planned.changes), "row": planned.first_row, **source},
        )
        for planned in updates
        if planned.instance is not None
    )
    for document in published:
        events.extend(
            new_event(
                paragraph,
                EventKind.PUBLISHED,
                actor=actor,
                data={"published_on": str(document.published_on or ""), **source},
            )
            for paragraph in document.paragraphs.all()
        )
    events.extend(
        new_event(
            assessment.paragraph,
            EventKind.ASSESSED,
            actor=actor,
            note=assessment.reason,
            data={
                "source": assessment.source,
                "source_name": assessment.source_name,
                "scale": assessment.grade.scale.code,
                "grade": assessment.grade.code,
                "assessed_on": assessment.assessed_on.isoformat(),
                **source,
            },
        )
        for assessment in assessments
    )
    record_events(events)
    created = sum(row.action == CREATE for row in plan.rows)
    updated = sum(row.action == UPDATE for row in plan.rows)
    return created, updated
