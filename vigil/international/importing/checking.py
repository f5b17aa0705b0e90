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
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.appeals.importing.cells import choice_cell, date_cell, lookup, yes_no_cell
from vigil.core.importing import (
    CREATE,
    UNCHANGED,
    UPDATE,
    CellError,
    ImportPlan,
    ImportTable,
    RowPlan,
    cell_text,
    issues_by_column,
    locate_columns,
    row_cells,
)
from vigil.reference.models import Agency

from ..enums import AssessmentSource, Body, DocumentKind
from ..models import Assessment, Document, Paragraph, ScaleGrade
from .columns import (
    ADDRESSEES,
    ADOPTED,
    ALIASES,
    ASSESSED_BY,
    ASSESSED_ON,
    ASSESSMENT_COLUMNS,
    BODY,
    COLUMNS,
    CONFIDENTIAL,
    DEFAULT_KIND,
    DEFAULT_SCALE,
    DOCUMENT_COLUMNS,
    DOCUMENT_FIELDS,
    FOLLOW_UP,
    GRADE,
    IGNORED,
    KIND,
    NUMBER,
    OTHER_TREATY_BODIES,
    PARAGRAPH_COLUMNS,
    PARAGRAPH_FIELDS,
    PUBLISHED,
    REASON,
    REFERENCE,
    REQUIRED_COLUMNS,
    SCALE,
    SOURCE,
    SPECIAL_PROCEDURE_PREFIXES,
    SYMBOL,
    TEXT,
    header_key,
)

SYMBOL_MAX = Document._meta.get_field("symbol").max_length or 100
NUMBER_MAX = Paragraph._meta.get_field("number").max_length or 20
# UHRI writes the number at the start of the text: "10. The State party…", "128.26 Ratify…".
_LEADING_NUMBER = re.compile(r"\s*(?P<number>\d+(?:\.\d+)*)(?:\.\s*|\s+)(?P<rest>\S.*)", re.DOTALL)
_CODES_SPLIT = re.compile(r"[\s,;]+")

type ParagraphKey = tuple[str, str]
type AssessmentKey = tuple[ParagraphKey, str, str, int, datetime.date]


@dataclass
class Group:
    """The rows of one document or paragraph: the first row, and each cell's first value
    with the row that gives it."""

    first_row: int
    cells: dict[str, tuple[int, str]] = field(default_factory=dict)

    def text(self, column: str) -> str:
        return self.cells.get(column, (0, ""))[1]

    def row_of(self, column: str) -> int:
        return self.cells.get(column, (self.first_row, ""))[0]


@dataclass
class DocumentPlan:
    symbol: str
    first_row: int
    values: dict[str, Any]
    instance: Document | None = None
    changes: dict[str, list[str]] = field(default_factory=dict)

    creates: bool = field(init=False)

    def __post_init__(self) -> None:
        self.creates = self.instance is None  # kept once the write has made the object


@dataclass
class ParagraphPlan:
    key: ParagraphKey
    first_row: int
    values: dict[str, Any]
    addressees: list[Agency] | None  # None: the file has no addressees column
    position: int = 0
    instance: Paragraph | None = None
    changes: dict[str, list[str]] = field(default_factory=dict)

    creates: bool = field(init=False)

    def __post_init__(self) -> None:
        self.creates = self.instance is None  # kept once the write has made the object


@dataclass
class AssessmentPlan:
    row: int
    key: ParagraphKey
    source: str
    source_name: str
    grade: ScaleGrade
    reason: str
    assessed_on: datetime.date
    reference: str
    creates: bool = True


@dataclass
class UnRow(RowPlan[Any]):
    """A checked row: its document, paragraph and assessment, for the preview."""

    symbol: str = ""
    number: str = ""
    assessment: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            **super().as_dict(),
            "symbol": self.symbol,
            "number": self.number,
            "assessment": self.assessment,
        }


@dataclass
class UnPlan(ImportPlan[UnRow]):
    documents: dict[str, DocumentPlan] = field(default_factory=dict)
    paragraphs: dict[ParagraphKey, ParagraphPlan] = field(default_factory=dict)
    assessments: list[AssessmentPlan] = field(default_factory=list)

    def tally(self) -> dict[str, int]:
        documents = self.documents.values()
        paragraphs = self.paragraphs.values()
        return {
            "documents_created": sum(d.creates for d in documents),
            "documents_updated": sum(bool(not d.creates and d.changes) for d in documents),
            "paragraphs_created": sum(p.creates for p in paragraphs),
            "paragraphs_updated": sum(bool(not p.creates and p.changes) for p in paragraphs),
            "assessments_created": sum(a.creates for a in self.assessments),
        }

    def extra_summary(self) -> dict[str, Any]:
        return {"tally": self.tally()} if self.is_valid else {}

    def audit_data(self) -> dict[str, Any]:
        return {"documents": sorted(self.documents), **self.tally()}

    def notes(self) -> list[str]:
        tally = self.tally()
        return [
            _(
                "Documents: %(documents_created)s new, %(documents_updated)s changed; "
                "paragraphs: %(paragraphs_created)s new, %(paragraphs_updated)s changed; "
                "assessments: %(assessments_created)s new."
            )
            % tally
        ]


def _canonical_header(table: ImportTable) -> ImportTable:
    """The table with its header in the canonical names; UHRI's unused columns dropped."""
    header: list[str] = []
    for name in table.header:
        key = header_key(name)
        if key in IGNORED:
            header.append("")
        else:
            header.append(ALIASES.get(key, name))
    return ImportTable(table.file_name, table.file_format, header, table.rows)


def body_cell(text: str) -> str:
    """A body's code from Vigil's code or UHRI's "- CAT", "- SR Torture", "- CERD"."""
    value = text.strip().lstrip("-").strip()
    upper = value.upper()
    if upper in Body.values:
        return upper
    if value.casefold() in (Body.OTHER_TREATY, Body.SPECIAL_PROCEDURE):
        return value.casefold()
    if upper.startswith("CRC"):
        return Body.CRC
    if upper in OTHER_TREATY_BODIES:
        return Body.OTHER_TREATY
    if upper.startswith(SPECIAL_PROCEDURE_PREFIXES) or "SPECIAL PROCEDURE" in upper:
        return Body.SPECIAL_PROCEDURE
    raise CellError(
        _("Unknown body “%(value)s”; use one of: %(allowed)s.")
        % {"value": text, "allowed": ", ".join(Body.values)}
    )


def _merge(
    group: Group,
    column: str,
    row: int,
    text: str,
    errors: dict[int, dict[str, str]],
    what: str,
) -> None:
    if not text:
        return
    known = group.cells.get(column)
    if known is None:
        group.cells[column] = (row, text)
    elif known[1] != text:
        errors[row][column] = _(
            "Row %(row)s gives this %(what)s another value (“%(value)s”); give it once or "
            "repeat the same value."
        ) % {"row": known[0], "what": what, "value": known[1]}


class _Lookups:
    """Agencies, scales and grades, read once."""

    def __init__(self) -> None:
        self.agencies = {a.code.casefold(): a for a in Agency.objects.all()}
        self.grades: dict[str, dict[str, ScaleGrade]] = defaultdict(dict)
        for grade in ScaleGrade.objects.select_related("scale").order_by("scale", "position"):
            self.grades[grade.scale.code][grade.code.casefold()] = grade

    def agencies_in(self, text: str) -> list[Agency]:
        found: list[Agency] = []
        unknown: list[str] = []
        for code in _CODES_SPLIT.split(text.strip()):
            if not code:
                continue
            agency = self.agencies.get(code.casefold())
            if agency is None:
                unknown.append(code)
            elif agency not in found:
                found.append(agency)
        if unknown:
            raise CellError(_("Unknown agency code: %(codes)s.") % {"codes": ", ".join(unknown)})
        return sorted(found, key=lambda a: a.code)

    def grade(self, scale: str, code: str) -> ScaleGrade:
        grades = self.grades.get(scale)
        if grades is None:
            raise CellError(
                _("Unknown scale “%(scale)s”; use one of: %(allowed)s.")
                % {"scale": scale, "allowed": ", ".join(sorted(self.grades))}
            )
        grade = grades.get(code.casefold())
        if grade is None:
            raise CellError(
                _("Unknown grade “%(grade)s” for the scale %(scale)s; use one of: %(allowed)s.")
                % {
                    "grade": code,
                    "scale": scale,
                    "allowed": ", ".join(g.code for g in grades.values()),
                }
            )
        return grade


def _assessment(
    number: int,
    key: ParagraphKey,
    cells: dict[str, Any],
    lookups: _Lookups,
    today: datetime.date,
    errors: dict[str, str],
) -> AssessmentPlan | None:
    texts = {column: cell_text(cells.get(column)) for column in ASSESSMENT_COLUMNS}
    if not texts[GRADE]:
        filled = [c for c in ASSESSMENT_COLUMNS if texts[c] and c != SCALE]
        if filled:
            errors[GRADE] = _("Give the grade of this assessment, or leave its columns empty.")
        return None
    source = ""
    try:
        source = choice_cell(texts[SOURCE], AssessmentSource.values)
    except CellError as exc:
        errors[SOURCE] = exc.message
    grade = None
    scale = texts[SCALE] or DEFAULT_SCALE
    try:
        grade = lookups.grade(scale, texts[GRADE])
    except CellError as exc:
        errors[GRADE if scale in lookups.grades else SCALE] = exc.message
    assessed_on = None
    try:
        assessed_on = date_cell(texts[ASSESSED_ON], today)
        if assessed_on is None:
            errors[ASSESSED_ON] = _("Give the date of the assessment.")
    except CellError as exc:
        errors[ASSESSED_ON] = exc.message
    if grade is not None and grade.not_applicable and not texts[REASON]:
        errors[REASON] = _("Give the reason why it is not applicable.")
    limits = {
        ASSESSED_BY: Assessment._meta.get_field("source_name").max_length or 200,
        REFERENCE: Assessment._meta.get_field("reference").max_length or 300,
    }
    for column, limit in limits.items():
        if len(texts[column]) > limit:
            errors[column] = _("Keep it under %(max)s characters.") % {"max": limit}
    if errors or grade is None or assessed_on is None:
        return None
    return AssessmentPlan(
        row=number,
        key=key,
        source=source,
        source_name=texts[ASSESSED_BY],
        grade=grade,
        reason=texts[REASON],
        assessed_on=assessed_on,
        reference=texts[REFERENCE],
    )


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _validation_errors(
    exc: ValidationError, group: Group, columns: dict[str, str], errors: dict[int, dict[str, str]]
) -> None:
    """A model's validation errors by the row and column that gave the field."""
    by_field = {model_field: column for column, model_field in columns.items()}
    for name, messages in exc.message_dict.items():
        column = by_field.get(name, "")
        errors[group.row_of(column) if column else group.first_row][column] = " ".join(messages)


def _document_values(
    group: Group, present: set[str], today: datetime.date, errors: dict[str, str]
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for column, model_field in DOCUMENT_FIELDS.items():
        if column not in present:
            continue
        text = group.text(column)
        try:
            if column == BODY:
                values[model_field] = body_cell(text) if text else ""
            elif column == KIND:
                values[model_field] = choice_cell(text, DocumentKind.values) if text else ""
            elif column in (ADOPTED, PUBLISHED):
                values[model_field] = date_cell(text, today)
            elif column == CONFIDENTIAL:
                values[model_field] = yes_no_cell(text)
            else:
                values[model_field] = text
        except CellError as exc:
            errors[column] = exc.message
    return values


def _plan_document(
    symbol: str,
    group: Group,
    present: set[str],
    existing: Document | None,
    today: datetime.date,
    errors: dict[int, dict[str, str]],
) -> DocumentPlan | None:
    cell_errors: dict[str, str] = {}
    values = _document_values(group, present, today, cell_errors)
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
        _validation_errors(exc, group, {SYMBOL: "symbol", **DOCUMENT_FIELDS}, errors)
        return None
    plan = DocumentPlan(symbol, group.first_row, values, existing)
    if existing is not None:
        for name, value in values.items():
            old = getattr(existing, name)
            if old != value:
                plan.changes[name] = [_display(old), _display(value)]
    return plan


def _plan_paragraph(
    key: ParagraphKey,
    group: Group,
    present: set[str],
    existing: Paragraph | None,
    lookups: _Lookups,
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
        _validation_errors(exc, group, {NUMBER: "number", **PARAGRAPH_FIELDS}, errors)
        return None
    values = {name: getattr(candidate, name) for name in values}  # cleaned (themes sorted)
    plan = ParagraphPlan(key, group.first_row, values, addressees, instance=existing)
    if existing is not None:
        for name, value in values.items():
            old = getattr(existing, name)
            if old != value:
                plan.changes[name] = [_display(old), _display(value)]
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
    table = _canonical_header(table)
    positions = locate_columns(table, plan, columns=COLUMNS, required=REQUIRED_COLUMNS)
    if positions is None:
        return plan
    present = set(positions)
    today = today or timezone.localdate()
    lookups = _Lookups()
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
                _merge(document, column, number, cell_text(cells[column]), errors, _("document"))
        for column in PARAGRAPH_COLUMNS[1:]:
            if column in present or column == TEXT:
                value = text if column == TEXT else cell_text(cells[column])
                _merge(paragraph, column, number, value, errors, _("paragraph"))
        assessment = _assessment(number, key, cells, lookups, today, row_errors)
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
