"""The cells of a file of UN paragraphs: the header's names, each cell's value, the lookups
(agencies, scales and grades) and the merging of a document's or paragraph's rows."""

import datetime
import re
from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from vigil.appeals.importing.cells import choice_cell, date_cell, yes_no_cell
from vigil.core.importing import CellError, ImportTable, cell_text
from vigil.reference.models import Agency

from ..enums import AssessmentSource, Body, DocumentKind
from ..models import Assessment, ScaleGrade
from .columns import (
    ADOPTED,
    ALIASES,
    ASSESSED_BY,
    ASSESSED_ON,
    ASSESSMENT_COLUMNS,
    BODY,
    CONFIDENTIAL,
    DEFAULT_SCALE,
    DOCUMENT_FIELDS,
    GRADE,
    IGNORED,
    KIND,
    OTHER_TREATY_BODIES,
    PUBLISHED,
    REASON,
    REFERENCE,
    SCALE,
    SOURCE,
    SPECIAL_PROCEDURE_PREFIXES,
    header_key,
)
from .plans import AssessmentPlan, Group, ParagraphKey

_CODES_SPLIT = re.compile(r"[\s,;]+")


def canonical_header(table: ImportTable) -> ImportTable:
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


def merge_cell(
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


class Lookups:
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


def assessment_plan(
    number: int,
    key: ParagraphKey,
    cells: dict[str, Any],
    lookups: Lookups,
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


def display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def validation_errors(
    exc: ValidationError, group: Group, columns: dict[str, str], errors: dict[int, dict[str, str]]
) -> None:
    """A model's validation errors by the row and column that gave the field."""
    by_field = {model_field: column for column, model_field in columns.items()}
    for name, messages in exc.message_dict.items():
        column = by_field.get(name, "")
        errors[group.row_of(column) if column else group.first_row][column] = " ".join(messages)


def document_values(
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
