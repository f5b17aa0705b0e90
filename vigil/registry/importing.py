"""Registry import: one home for reading, checking and applying institution files.

The upload page and the `import_institutions` command both go through here:

* `institutions_import_check` reads a CSV/XLSX file, validates every row and plans what
  would happen to each one (create / update / unchanged); it writes nothing.
* `institutions_import` applies a file in one transaction through `institution_create` /
  `institution_update` (each audited) and writes one summary audit event; on any error
  nothing is written.
* `import_batch_create` / `import_batch_apply` keep an uploaded file between its preview
  and its confirmation.

Row numbers are the ones the person sees in Excel: the header is row 1.
"""

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record

from .enums import InstitutionStatus, SecurityLevel
from .models import Agency, ImportBatch, Institution, InstitutionType, Region
from .permissions import can_import_institutions
from .services import INSTITUTION_FIELDS, institution_create, institution_update

REQUIRED_COLUMNS: tuple[str, ...] = (
    "external_code",
    "name_kk",
    "name_ru",
    "name_en",
    "type",
    "agency",
    "region",
    "address",
    "capacity",
)
OPTIONAL_COLUMNS: tuple[str, ...] = (
    "status",
    "security_level",
    "population_men",
    "population_women",
    "population_boys",
    "population_girls",
    "population_date",
)
IMPORT_COLUMNS: tuple[str, ...] = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# Written by the export for reading; accepted on import and ignored without a warning.
EXPORT_ONLY_COLUMNS: tuple[str, ...] = ("last_visited_on",)

NAME_COLUMNS = ("name_kk", "name_ru", "name_en")
TEXT_COLUMNS = (*NAME_COLUMNS, "address")
INTEGER_COLUMNS = (
    "capacity",
    "population_men",
    "population_women",
    "population_boys",
    "population_girls",
)
REFERENCE_COLUMNS = {"type": InstitutionType, "agency": Agency, "region": Region}

# Text starting with these is run as a formula by spreadsheets (CSV/formula injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MAX_ROWS = 20_000
# An XLSX is a zip: refuse archives that unpack to far more than the upload limit.
MAX_UNPACKED_RATIO = 30
LOOKUP_CHUNK = 900  # stays under SQLite's bound-parameter limit

CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"


def neutralize(value: Any) -> Any:
    """Give text a spreadsheet would run as a formula a leading apostrophe (for exports).

    Text that already starts with apostrophes before a trigger gets one more, so that
    `unneutralize` gives back exactly the original.
    """
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def unneutralize(text: str) -> str:
    """Undo `neutralize` on an imported cell: '=SUM(1) → =SUM(1)."""
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


class ImportFileError(Exception):
    """The file cannot be read at all (type, size, encoding); `message` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ImportIssue:
    """One problem: the Excel row number (None for the whole file), the column, a message."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if not self.column:
            return _("row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return _("row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportTable:
    """The raw file: normalised header names and the data rows with their Excel numbers."""

    file_name: str
    file_format: str
    header: list[str]
    rows: list[tuple[int, list[Any]]]


@dataclass
class RowPlan:
    row: int
    external_code: str
    name: str
    action: str
    data: dict[str, Any]
    instance: Institution | None = None
    changes: dict[str, list[str]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "external_code": self.external_code,
            "name": self.name,
            "action": self.action,
            "changes": self.changes,
        }


@dataclass
class ImportPlan:
    file_name: str
    file_format: str
    rows: list[RowPlan] = field(default_factory=list)
    errors: list[ImportIssue] = field(default_factory=list)
    warnings: list[ImportIssue] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def counts(self) -> dict[str, int]:
        counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0}
        for row in self.rows:
            counts[row.action] += 1
        return counts

    def as_summary(self) -> dict[str, Any]:
        return {
            "counts": self.counts,
            "errors": [e.as_dict() for e in self.errors],
            "warnings": [w.as_dict() for w in self.warnings],
            "rows": [] if self.errors else [r.as_dict() for r in self.rows],
        }


@dataclass(frozen=True)
class ImportResult:
    file_name: str
    created: int
    updated: int
    unchanged: int

    def as_dict(self) -> dict[str, int]:
        return {CREATE: self.created, UPDATE: self.updated, UNCHANGED: self.unchanged}


class ImportValidationError(Exception):
    """The file has errors; nothing was written. `plan.errors` lists them."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__(f"{len(plan.errors)} import errors")
        self.plan = plan


class ImportBatchClosedError(Exception):
    """The batch was already applied (or failed) and cannot be applied again."""


# ---------------------------------------------------------------------------------------
# Reading the file
# ---------------------------------------------------------------------------------------


def _max_bytes() -> int:
    return int(settings.VIGIL_IMPORT_MAX_BYTES)


def size_error(size: int) -> str | None:
    limit = _max_bytes()
    if size > limit:
        return _("The file is too large (%(size)s); the limit is %(limit)s.") % {
            "size": filesizeformat(size),
            "limit": filesizeformat(limit),
        }
    return None


def _is_xlsx(content: bytes) -> bool:
    if not content.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)


def detect_format(content: bytes, file_name: str) -> str:
    """Return "csv" or "xlsx", from the name's extension checked against the content."""
    suffix = PurePath(file_name).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ImportFileError(_("Upload a .csv or .xlsx file."))
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _(
                "This is an old Excel (.xls) or password-protected workbook. Save it as an "
                "Excel workbook (.xlsx) without a password, or as “CSV UTF-8”."
            )
        )
    is_xlsx = _is_xlsx(content)
    if suffix == ".xlsx" and not is_xlsx:
        raise ImportFileError(
            _(
                "The file is named .xlsx but is not an Excel workbook. Open it in Excel "
                "and save it as “Excel Workbook (*.xlsx)”."
            )
        )
    if suffix == ".csv" and content.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            _("The file is named .csv but is a workbook or archive; name an Excel file .xlsx.")
        )
    return "xlsx" if is_xlsx else "csv"


def _decode_csv(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(
            _(
                "The file is saved as UTF-16 (“Unicode text”). In Excel choose File → Save As "
                "→ “CSV UTF-8 (Comma delimited) (*.csv)”, or save it as an Excel workbook "
                "(.xlsx)."
            )
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _(
                "The file is not in UTF-8 (it may be in the Windows Cyrillic encoding). In "
                "Excel choose File → Save As → “CSV UTF-8 (Comma delimited) (*.csv)”, or save "
                "it as an Excel workbook (.xlsx)."
            )
        ) from None
    if "\x00" in text:
        raise ImportFileError(_("The file is not a text (CSV) file."))
    return text


def _read_csv(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    text = _decode_csv(content)
    first_line, _sep, rest = text.partition("\n")
    hint = re.fullmatch(r"\s*sep=(.)\s*", first_line)
    if hint:  # Excel's "sep=;" line: not shown as a row in Excel
        delimiter, text = hint.group(1), rest
        first_line = text.partition("\n")[0]
    else:
        counts = {d: first_line.count(d) for d in (",", ";", "\t")}
        delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as exc:
        raise ImportFileError(
            _("The CSV file is malformed near row %(row)s: %(error)s")
            % {"row": reader.line_num, "error": exc}
        ) from None


def _read_xlsx(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_UNPACKED_RATIO * _max_bytes():
        raise ImportFileError(_("The workbook is too large once unpacked."))
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken file
        raise ImportFileError(
            _("The workbook could not be read. Open it in Excel and save it again as .xlsx.")
        ) from None
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("The workbook has no sheets."))
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers record wrong dimensions
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)  # type: ignore[misc]
    except ImportFileError:
        raise
    except Exception:  # a broken sheet fails while it is read
        raise ImportFileError(
            _("The workbook could not be read. Open it in Excel and save it again as .xlsx.")
        ) from None
    finally:
        workbook.close()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header_name(value: Any) -> str:
    return "" if value is None else str(value).strip().lstrip("\ufeff").strip().lower()


def read_import_file(content: bytes, file_name: str) -> ImportTable:
    """Read the first sheet / the CSV into a header and rows; raises ImportFileError."""
    file_name = PurePath(file_name or "").name[:255]
    problem = size_error(len(content))
    if problem:
        raise ImportFileError(problem)
    if not content.strip():
        raise ImportFileError(_("The file is empty."))
    file_format = detect_format(content, file_name)
    records = _read_xlsx(content) if file_format == "xlsx" else _read_csv(content)
    header: list[str] | None = None
    rows: list[tuple[int, list[Any]]] = []
    for number, record in records:
        values = list(record)
        if all(_blank(v) for v in values):
            continue
        if header is None:
            header = [_header_name(v) for v in values]
            continue
        rows.append((number, values))
        if len(rows) > MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(max)s rows; split it into smaller files.")
                % {"max": MAX_ROWS}
            )
    if header is None:
        raise ImportFileError(_("The file has no header row."))
    return ImportTable(file_name=file_name, file_format=file_format, header=header, rows=rows)


# ---------------------------------------------------------------------------------------
# Checking the rows
# ---------------------------------------------------------------------------------------


class _CellError(Exception):
    def __init__(self, message: str) -> None:
        self.message = message


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return unneutralize(str(value).strip())


_WHOLE = re.compile(r"\d+(?:[.,]0*)?")


def _whole_number(value: Any) -> int | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise _CellError(_("Must be a whole number, 0 or more."))
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            raise _CellError(_("Must be a whole number, 0 or more."))
        number = int(value)
    else:
        text = re.sub(r"[\s\u00a0\u202f]", "", str(value))
        if not _WHOLE.fullmatch(text):
            raise _CellError(_("Must be a whole number, 0 or more."))
        number = int(re.split(r"[.,]", text)[0])
    if number < 0:
        raise _CellError(_("Must be a whole number, 0 or more."))
    return number


def _date(value: Any) -> datetime.date | None:
    if _blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007
        except ValueError:
            continue
    raise _CellError(
        _("“%(value)s” is not a date; write it as YYYY-MM-DD or DD.MM.YYYY.") % {"value": text}
    )


def _choice(value: Any, choices: Sequence[tuple[str, Any]], current: str | None) -> str:
    text = _text(value).casefold()
    if not text:
        return current if current is not None else ""
    for code, _label in choices:
        if code.casefold() == text:
            return code
    allowed = ", ".join(code for code, _label in choices if code)
    raise _CellError(
        _("Unknown value “%(value)s”; use one of: %(allowed)s.")
        % {"value": _text(value), "allowed": allowed}
    )


_UNKNOWN_REFERENCE = {
    "type": gettext_noop("Unknown institution type code “%(code)s”."),
    "agency": gettext_noop("Unknown agency code “%(code)s”."),
    "region": gettext_noop("Unknown region code “%(code)s”."),
}


def _display(value: Any) -> str:
    if value is None:
        return ""
    code = getattr(value, "code", None)
    return str(code) if code is not None else str(value)


def _existing_by_code(codes: Iterable[str]) -> dict[str, Institution]:
    codes = sorted(set(codes))
    found: dict[str, Institution] = {}
    for start in range(0, len(codes), LOOKUP_CHUNK):
        chunk = codes[start : start + LOOKUP_CHUNK]
        for inst in Institution.objects.filter(external_code__in=chunk).select_related(
            "type", "agency", "region"
        ):
            found[inst.external_code or ""] = inst
    return found


def _row_values(
    cells: dict[str, Any],
    existing: Institution | None,
    references: dict[str, dict[str, Any]],
) -> tuple[dict[str, Any], dict[str, str]]:
    """Resolve one row's cells to model values; returns (data, {column: error})."""
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for column, value in cells.items():
        try:
            if column == "external_code" or column in TEXT_COLUMNS:
                data[column] = _text(value)
            elif column in REFERENCE_COLUMNS:
                code = _text(value)
                if not code:
                    raise _CellError(_("This column must be filled in."))
                obj = references[column].get(code.casefold())
                if obj is None:
                    raise _CellError(_(_UNKNOWN_REFERENCE[column]) % {"code": code})
                data[column] = obj
            elif column in INTEGER_COLUMNS:
                data[column] = _whole_number(value)
            elif column == "population_date":
                data[column] = _date(value)
            elif column == "status":
                current = existing.status if existing else InstitutionStatus.ACTIVE.value
                data[column] = _choice(value, InstitutionStatus.choices, current)
            elif column == "security_level":
                data[column] = _choice(value, SecurityLevel.choices, None)
        except _CellError as exc:
            errors[column] = exc.message
    if not data.get("external_code") and "external_code" not in errors:
        errors["external_code"] = _("The external code must be filled in; imports match on it.")
    if not any(data.get(c) for c in NAME_COLUMNS) and not any(c in errors for c in NAME_COLUMNS):
        errors["name_ru"] = _("Give the name in at least one language (name_kk, name_ru, name_en).")
    return data, errors


def _model_errors(data: dict[str, Any], existing: Institution | None) -> dict[str, list[str]]:
    """The model's own validation (lengths, choices, clean()) without per-row queries."""
    values = {f: getattr(existing, f) for f in INSTITUTION_FIELDS} if existing else {}
    values.update({k: v for k, v in data.items() if k in INSTITUTION_FIELDS})
    candidate = Institution(**values)
    try:
        candidate.full_clean(
            exclude=["type", "agency", "region"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        return exc.message_dict
    return {}


def _changes(data: dict[str, Any], existing: Institution) -> dict[str, list[str]]:
    changes: dict[str, list[str]] = {}
    for name, new in data.items():
        old = getattr(existing, name)
        same = (
            getattr(old, "pk", None) == getattr(new, "pk", None)
            if name in REFERENCE_COLUMNS
            else old == new
        )
        if not same:
            changes[name] = [_display(old), _display(new)]
    return changes


def plan_table(table: ImportTable) -> ImportPlan:
    """Validate every row of `table` against the database and plan each one. Writes nothing."""
    plan = ImportPlan(file_name=table.file_name, file_format=table.file_format)
    positions: dict[str, int] = {}
    for index, name in enumerate(table.header):
        if not name:
            continue
        if name in positions:
            plan.errors.append(
                ImportIssue(1, name, _("The column appears more than once in the header."))
            )
        elif name in IMPORT_COLUMNS or name in EXPORT_ONLY_COLUMNS:
            positions[name] = index
        else:
            plan.warnings.append(
                ImportIssue(1, name, _("Unknown column; its values were ignored."))
            )
    for name in REQUIRED_COLUMNS:
        if name not in positions:
            plan.errors.append(ImportIssue(1, name, _("A required column is missing.")))
    if plan.errors:
        return plan
    if not table.rows:
        plan.errors.append(ImportIssue(None, "", _("The file has a header but no rows.")))
        return plan

    columns = [c for c in IMPORT_COLUMNS if c in positions]
    parsed: list[tuple[int, dict[str, Any]]] = []
    for number, values in table.rows:
        cells = {c: values[positions[c]] if positions[c] < len(values) else None for c in columns}
        parsed.append((number, cells))

    references = {
        column: {obj.code.casefold(): obj for obj in model.objects.all()}  # type: ignore[attr-defined]
        for column, model in REFERENCE_COLUMNS.items()
    }
    existing = _existing_by_code(c for _n, cells in parsed if (c := _text(cells["external_code"])))
    first_row: dict[str, int] = {}
    for number, cells in parsed:
        code = _text(cells["external_code"])
        instance = existing.get(code) if code else None
        data, errors = _row_values(cells, instance, references)
        if code and code in first_row:
            errors.setdefault(
                "external_code",
                _("The code “%(code)s” is also used on row %(row)s.")
                % {"code": code, "row": first_row[code]},
            )
        elif code:
            first_row[code] = number
        for column, messages in _model_errors(data, instance).items():
            target = column if column in IMPORT_COLUMNS else ""
            if column == NON_FIELD_ERRORS or target not in errors:
                errors.setdefault(target, " ".join(messages))
        if errors:
            plan.errors.extend(
                ImportIssue(number, column, message)
                for column, message in sorted(
                    errors.items(), key=lambda item: _column_order(item[0])
                )
            )
            continue
        name = next((str(data[c]) for c in ("name_ru", "name_kk", "name_en") if data.get(c)), "")
        if instance is None:
            plan.rows.append(RowPlan(number, code, name, CREATE, data))
        else:
            changes = _changes(data, instance)
            action = UPDATE if changes else UNCHANGED
            plan.rows.append(RowPlan(number, code, name, action, data, instance, changes))
    return plan


def _column_order(column: str) -> int:
    return IMPORT_COLUMNS.index(column) if column in IMPORT_COLUMNS else len(IMPORT_COLUMNS)


def institutions_import_check(*, content: bytes, file_name: str) -> ImportPlan:
    """Read and check a file; a file that cannot be read gives one file-level error."""
    try:
        table = read_import_file(content, file_name)
    except ImportFileError as exc:
        suffix = PurePath(file_name).suffix.lower().lstrip(".")
        plan = ImportPlan(file_name=PurePath(file_name).name, file_format=suffix)
        plan.errors.append(ImportIssue(None, "", exc.message))
        return plan
    return plan_table(table)


# ---------------------------------------------------------------------------------------
# Applying
# ---------------------------------------------------------------------------------------


@transaction.atomic
def institutions_import(
    *,
    actor: User | None,
    content: bytes,
    file_name: str,
    context: RequestContext | None = None,
    batch: ImportBatch | None = None,
) -> ImportResult:
    """Apply a file: all rows or nothing. `actor=None` is the system (the command).

    Raises ImportValidationError (nothing written) when the file has any error.
    """
    if actor is not None and not can_import_institutions(actor):
        raise PermissionDenied
    plan = institutions_import_check(content=content, file_name=file_name)
    if not plan.is_valid:
        raise ImportValidationError(plan)
    created = updated = unchanged = 0
    for row in plan.rows:
        try:
            if row.action == CREATE:
                institution_create(actor=actor, data=row.data, context=context)
                created += 1
            elif row.action == UPDATE and row.instance is not None:
                changes = institution_update(
                    actor=actor, institution=row.instance, data=row.data, context=context
                )
                if changes:
                    updated += 1
                else:
                    unchanged += 1
            else:
                unchanged += 1
        except ValidationError as exc:
            # Validation passed moments ago; something changed under us. Nothing is kept.
            failed = ImportPlan(file_name=plan.file_name, file_format=plan.file_format)
            for column, messages in exc.message_dict.items():
                target = column if column in IMPORT_COLUMNS else ""
                failed.errors.append(ImportIssue(row.row, target, " ".join(messages)))
            raise ImportValidationError(failed) from exc
    result = ImportResult(plan.file_name, created, updated, unchanged)
    audit_record(
        actor=actor,
        action=AuditAction.INSTITUTIONS_IMPORTED,
        target=batch,
        data={
            "file_name": plan.file_name,
            "file_format": plan.file_format,
            "rows": len(plan.rows),
            "created": created,
            "updated": updated,
            "unchanged": unchanged,
            "batch": str(batch.public_id) if batch else None,
        },
        context=context,
    )
    return result


# ---------------------------------------------------------------------------------------
# Uploaded batches (the page's preview → confirm flow)
# ---------------------------------------------------------------------------------------


def import_batches_visible_to(user: User | None) -> QuerySet[ImportBatch]:
    """Its uploader sees a batch; so does every coordinator and administrator."""
    qs = ImportBatch.objects.select_related("uploaded_by", "applied_by")
    if user is None or not user.is_authenticated or not user.is_active:
        return qs.none()
    if can_import_institutions(user):
        return qs
    return qs.filter(Q(uploaded_by=user))


def import_batch_create(
    *, actor: User, content: bytes, file_name: str, context: RequestContext | None = None
) -> ImportBatch:
    """Check an uploaded file and keep it for preview. Raises ImportFileError when unreadable."""
    if not can_import_institutions(actor):
        raise PermissionDenied
    table = read_import_file(content, file_name)
    plan = plan_table(table)
    return ImportBatch.objects.create(
        uploaded_by=actor,
        file_name=table.file_name,
        file_format=table.file_format,
        content=content,
        status=ImportBatch.Status.PENDING if plan.is_valid else ImportBatch.Status.FAILED,
        summary=plan.as_summary(),
    )


def import_batch_apply(
    *, actor: User, batch: ImportBatch, context: RequestContext | None = None
) -> ImportResult:
    """Apply a pending batch once, re-checking the file now.

    Raises ImportBatchClosedError if it was applied (or failed) already, and
    ImportValidationError if the file no longer passes (the batch is then marked failed).
    """
    if not can_import_institutions(actor):
        raise PermissionDenied
    failure: ImportValidationError
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportBatch.Status.PENDING:
            raise ImportBatchClosedError
        try:
            result = institutions_import(
                actor=actor,
                content=bytes(locked.content),
                file_name=locked.file_name,
                context=context,
                batch=locked,
            )
        except ImportValidationError as exc:
            locked.status = ImportBatch.Status.FAILED
            locked.summary = {**locked.summary, **exc.plan.as_summary()}
            locked.save(update_fields=["status", "summary", "updated_at"])
            failure = exc
        else:
            locked.status = ImportBatch.Status.APPLIED
            locked.applied_at = timezone.now()
            locked.applied_by = actor
            locked.summary = {**locked.summary, "result": result.as_dict()}
            locked.save(
                update_fields=["status", "applied_at", "applied_by", "summary", "updated_at"]
            )
            return result
    raise failure
