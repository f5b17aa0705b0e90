"""Checking a file of UN paragraphs: every cell validated, a plan for each row; nothing written.

Rows are grouped: a document by its symbol, a paragraph by (symbol, number). Several rows of
the same paragraph are allowed, one per assessment; its document and paragraph cells are
then given once (the first row that fills a cell gives it) or repeated identically — another
value in a later row is an error naming both rows. An assessment is new unless the paragraph
already has one with the same source, assessed by, grade and date, so importing the same file
again changes nothing.

A row is planned as a create when it creates a document, a paragraph or an assessment, an
update when it changes its document's or paragraph's values (the row that gives them), and
unchanged otherwise. Lookups take a constant number of queries.
"""

import copy
import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.appeals.importing.cells import lookup, yes_no_cell
from vigil.core.importing import (
    CREATE,
    UNCHANGED,
    UPDATE,
    CellError,
    ImportTable,
    cell_text,
    issues_by_column,
    locate_columns,
    row_cells,
)
from vigil.reference.models import Agency

from ..enums import DocumentKind
from ..models import Assessment, Document, Paragraph
from .cells import (
    Lookups,
    assessment_plan,
    body_cell,
    canonical_header,
    display,
    document_values,
    merge_cell,
    validation_errors,
)
from .columns import (
    ADDRESSEES,
    ADOPTED,
    BODY,
    COLUMNS,
    DEFAULT_KIND,
    DOCUMENT_COLUMNS,
    DOCUMENT_FIELDS,
    FOLLOW_UP,
    NUMBER,
    PARAGRAPH_COLUMNS,
    PARAGRAPH_FIELDS,
    REQUIRED_COLUMNS,
    SYMBOL,
    TEXT,
)
from .plans import (
    AssessmentKey,
    AssessmentPlan,
    DocumentPlan,
    Group,
    ParagraphKey,
    ParagraphPlan,
    UnPlan,
    UnRow,
)

__all__ = ["DocumentPlan", "ParagraphPlan", "UnPlan", "UnRow", "body_cell", "plan_table"]

SYMBOL_MAX = Document._meta.get_field("symbol").max_length or 100
NUMBER_MAX = Paragraph._meta.get_field("number").max_length or 20
# UHRI writes the number at the start of the text: "10. The State party…", "128.26 Ratify…".
_LEADING_NUMBER = re.compile(r"\s*(?P<number>\d+(?:\.\d+)*)(?:\.\s*|\s+)(?P<rest>\S.*)", re.DOTALL)


def _plan_document(
    symbol: str,
    group: Group,
    present: set[str],
    existing: Document | None,
    today: datetime.date,
    errors: dict[int, dict[str, str]],
) -> DocumentPlan | None:
    cell_errors: dict[str, str] = {}
    values = document_values(group, present, today, cell_errors)
    if existing is None:
        for column, model_field in ((BODY, "body"), (ADOPTED, "adopted_on")):
            if not values.get(model_field) and column not in cell_errors:
                cell_errors[column] = _("Required for a new document.")
        if not values.get("kind") and values.get("body"):
            values["kind"] = DEFAULT_KIND.get(values["body"], DocumentKind.CONCLUDING_OBSERVATIONS)
    else:
        # An empty body, kind or date keeps the document's own.
        for model_field in ("body", "kind", "adopted_on"):
            if model_field in values and not values[model_field]:
                del values[model_field]
    for column, message in cell_errors.items():
        errors[group.row_of(column)][column] = message
    if cell_errors:
        return None
    candidate = copy.copy(existing) if existing is not None else Document(symbol=symbol)
    for name, value in values.items():
        setattr(candidate, name, value)
    try:
        candidate.full_clean(exclude=["created_by"], validate_unique=existing is None)
    except ValidationError as exc:
        validation_errors(exc, group, {SYMBOL: "symbol", **DOCUMENT_FIELDS}, errors)
        return None
    plan = DocumentPlan(symbol, group.first_row, values, existing)
    if existing is not None:
        for name, value in values.items():
            old = getattr(existing, name)
            if old != value:
                plan.changes[name] = [display(old), display(value)]
    return plan


def _plan_paragraph(
    key: ParagraphKey,
    group: Group,
    present: set[str],
    existing: Paragraph | None,
    lookups: Lookups,
    errors: dict[int, dict[str, str]],
) -> ParagraphPlan | None:
    values: dict[str, Any] = {}
    addressees: list[Agency] | None = None
    cell_errors: dict[str, str] = {}
    for column, model_field in PARAGRAPH_FIELDS.items():
        if column not in present and not (column == TEXT and group.text(TEXT)):
            continue  # absent: the paragraph keeps its own (UHRI's text may come numbered)
        text = group.text(column)
        if column == FOLLOW_UP:
            try:
                values[model_field] = yes_no_cell(text)
            except CellError as exc:
                cell_errors[column] = exc.message
        else:
            values[model_field] = text
    if ADDRESSEES in present:
        try:
            addressees = lookups.agencies_in(group.text(ADDRESSEES))
        except CellError as exc:
            cell_errors[ADDRESSEES] = exc.message
    for column, message in cell_errors.items():
        errors[group.row_of(column)][column] = message
    if cell_errors:
        return None
    candidate = copy.copy(existing) if existing is not None else Paragraph(number=key[1])
    for name, value in values.items():
        setattr(candidate, name, value)
    try:
        candidate.full_clean(exclude=["document"], validate_unique=False)
    except ValidationError as exc:
        validation_errors(exc, group, {NUMBER: "number", **PARAGRAPH_FIELDS}, errors)
        return None
    values = {name: getattr(candidate, name) for name in values}  # cleaned (themes sorted)
    plan = ParagraphPlan(key, group.first_row, values, addressees, instance=existing)
    if existing is not None:
        for name, value in values.items():
            old = getattr(existing, name)
            if old != value:
                plan.changes[name] = [display(old), display(value)]
        if addressees is not None:
            before = sorted(a.code for a in existing.addressees.all())
            after = [a.code for a in addressees]
            if before != after:
                plan.changes["addressees"] = [" ".join(before), " ".join(after)]
    return plan


def _existing_paragraphs(
    documents: Iterable[Document], *, lock: bool
) -> dict[ParagraphKey, Paragraph]:
    qs = (
        Paragraph.objects.filter(document__in=list(documents))
        .select_related("document")
        .prefetch_related("addressees")
        .order_by("pk")
    )
    if lock:
        qs = qs.select_for_update(of=("self",))
    return {(p.document.symbol, p.number): p for p in qs}


def plan_table(
    table: ImportTable, *, actor: Any = None, lock: bool = False, today: datetime.date | None = None
) -> UnPlan:
    """Check every row and plan it; writes nothing."""
    plan = UnPlan(file_name=table.file_name, file_format=table.file_format)
    table = canonical_header(table)
    positions = locate_columns(table, plan, columns=COLUMNS, required=REQUIRED_COLUMNS)
    if positions is None:
        return plan
    present = set(positions)
    today = today or timezone.localdate()
    lookups = Lookups()
    errors: dict[int, dict[str, str]] = defaultdict(dict)
    documents: dict[str, Group] = {}
    paragraphs: dict[ParagraphKey, Group] = {}
    rows: list[tuple[int, str, str, AssessmentPlan | None]] = []

    for number, cells in row_cells(table, positions, COLUMNS):
        row_errors = errors[number]
        symbol = cell_text(cells.get(SYMBOL))
        text = cell_text(cells.get(TEXT))
        para_number = cell_text(cells.get(NUMBER))
        if not symbol:
            row_errors[SYMBOL] = _("A document symbol is required.")
        elif len(symbol) > SYMBOL_MAX:
            row_errors[SYMBOL] = _("Keep it under %(max)s characters.") % {"max": SYMBOL_MAX}
        if not para_number:
            match = _LEADING_NUMBER.fullmatch(text)
            if match:
                para_number, text = match.group("number"), match.group("rest").strip()
            else:
                row_errors[NUMBER] = _(
                    "Give the paragraph’s number; the text does not start with one."
                )
        elif len(para_number) > NUMBER_MAX:
            row_errors[NUMBER] = _("Keep it under %(max)s characters.") % {"max": NUMBER_MAX}
        if row_errors:
            continue
        key = (symbol, para_number)
        document = documents.setdefault(symbol, Group(number))
        paragraph = paragraphs.setdefault(key, Group(number))
        for column in DOCUMENT_COLUMNS[1:]:
            if column in present:
                merge_cell(
                    document, column, number, cell_text(cells[column]), errors, _("document")
                )
        for column in PARAGRAPH_COLUMNS[1:]:
            if column in present or column == TEXT:
                value = text if column == TEXT else cell_text(cells[column])
                merge_cell(paragraph, column, number, value, errors, _("paragraph"))
        assessment = assessment_plan(number, key, cells, lookups, today, row_errors)
        rows.append((number, symbol, para_number, assessment))

    found_documents = lookup(Document, "symbol", documents, lock=lock, fold=False)
    found_paragraphs = _existing_paragraphs(found_documents.values(), lock=lock)

    for symbol, group in documents.items():
        planned = _plan_document(symbol, group, present, found_documents.get(symbol), today, errors)
        if planned is not None:
            plan.documents[symbol] = planned
    next_position: dict[str, int] = {}
    for key, group in paragraphs.items():
        planned_paragraph = _plan_paragraph(
            key, group, present, found_paragraphs.get(key), lookups, errors
        )
        if planned_paragraph is None:
            continue
        if planned_paragraph.creates:
            if key[0] not in next_position:
                last = max(
                    (p.position for k, p in found_paragraphs.items() if k[0] == key[0]), default=0
                )
                next_position[key[0]] = last
            next_position[key[0]] += 1
            planned_paragraph.position = next_position[key[0]]
        plan.paragraphs[key] = planned_paragraph

    _plan_assessments(plan, rows, found_paragraphs)
    for number, row_errors in sorted(errors.items()):
        plan.errors.extend(issues_by_column(number, row_errors, COLUMNS))
    if plan.errors:
        return plan
    _plan_rows(plan, rows)
    return plan


def _plan_assessments(
    plan: UnPlan,
    rows: list[tuple[int, str, str, AssessmentPlan | None]],
    paragraphs: dict[ParagraphKey, Paragraph],
) -> None:
    known: set[AssessmentKey] = set()
    ids = {p.pk: key for key, p in paragraphs.items()}
    for paragraph_id, source, source_name, grade_id, assessed_on in Assessment.objects.filter(
        paragraph_id__in=list(ids)
    ).values_list("paragraph_id", "source", "source_name", "grade_id", "assessed_on"):
        known.add((ids[paragraph_id], source, source_name, grade_id, assessed_on))
    for _number, _symbol, _para, assessment in rows:
        if assessment is None:
            continue
        akey = (
            assessment.key,
            assessment.source,
            assessment.source_name,
            assessment.grade.pk,
            assessment.assessed_on,
        )
        assessment.creates = akey not in known
        known.add(akey)
        plan.assessments.append(assessment)


def _plan_rows(plan: UnPlan, rows: list[tuple[int, str, str, AssessmentPlan | None]]) -> None:
    for number, symbol, para_number, assessment in rows:
        document = plan.documents[symbol]
        paragraph = plan.paragraphs[(symbol, para_number)]
        creates = (
            (document.creates and document.first_row == number)
            or (paragraph.creates and paragraph.first_row == number)
            or (assessment is not None and assessment.creates)
        )
        changes: dict[str, list[str]] = {}
        if not document.creates and document.first_row == number:
            changes.update(document.changes)
        if not paragraph.creates and paragraph.first_row == number:
            changes.update(paragraph.changes)
        action = CREATE if creates else UPDATE if changes else UNCHANGED
        described = ""
        if assessment is not None:
            described = f"{assessment.source_name or assessment.source}: {assessment.grade.code}"
        plan.rows.append(
            UnRow(
                row=number,
                key=f"{symbol} § {para_number}",
                action=action,
                data={},
                changes=changes,
                symbol=symbol,
                number=para_number,
                assessment=described,
            )
        )
