"""The historical import of accountability records, kind "accountability": matched on the
file's own id (`source_id` → `source_key`), all rows or nothing, errors by row and column."""

import datetime
from functools import partial
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.core.importing import (
    CREATE,
    UPDATE,
    CellError,
    ImportKind,
    ImportPages,
    ImportPlan,
    ImportTable,
    PreviewCell,
    cell_text,
    column_guides,
    import_apply,
    import_check,
)
from vigil.core.importing.writing import build_file
from vigil.reference.models import Agency, Region
from vigil.registry.models import Institution

from ..enums import Initiative, Responsibility
from ..models import AccountabilityRecord
from ..permissions import can_import_cases
from .cells import (
    ParsedRows,
    ReadRow,
    by_code,
    choice_cell,
    code_cell,
    codes_in,
    date_cell,
    lookup,
    plan_keyed_rows,
    row_against,
)

KIND = "accountability"
BATCH_SIZE = 500

REQUIRED_COLUMNS: tuple[str, ...] = ("source_id", "decided_on", "responsibility", "initiative")
OPTIONAL_COLUMNS: tuple[str, ...] = ("position", "measure", "agency", "region", "institution")
COLUMNS = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
COLUMN_NOTES = {
    "source_id": gettext_lazy(
        "Your id of the record; rows are matched on it, so importing the same file again "
        "changes nothing."
    ),
    "decided_on": gettext_lazy("Date of the decision: YYYY-MM-DD or DD.MM.YYYY."),
    "responsibility": gettext_lazy("disciplinary, administrative or criminal."),
    "initiative": gettext_lazy(
        "On whose initiative: commissioner (the Commissioner's representative), "
        "npm_participant or other."
    ),
    "position": gettext_lazy("Position of the official (no names)."),
    "measure": gettext_lazy("The measure taken, e.g. reprimand, dismissal."),
    "agency": gettext_lazy("Code of the agency, e.g. MVD-KUIS."),
    "region": gettext_lazy("Region code, e.g. KZ-71 (empty: the institution's region)."),
    "institution": gettext_lazy("External code of the institution (may be empty)."),
}
COMPARED = (
    "decided_on",
    "responsibility",
    "initiative",
    "position",
    "measure",
    "agency",
    "region",
    "institution",
)


def _row(
    cells: dict[str, Any],
    *,
    today: datetime.date,
    agencies: dict[str, Agency],
    regions: dict[str, Region],
    institutions: dict[str, Institution],
) -> tuple[dict[str, Any], dict[str, str]]:
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}

    def read(column: str, parse: Any) -> None:
        try:
            data[column] = parse(cells.get(column))
        except CellError as exc:
            errors[column] = exc.message

    read("decided_on", lambda v: date_cell(v, today))
    read("responsibility", lambda v: choice_cell(v, Responsibility.values))
    read("initiative", lambda v: choice_cell(v, Initiative.values))
    read("agency", lambda v: code_cell(v, agencies))
    read("region", lambda v: code_cell(v, regions))
    read("institution", lambda v: code_cell(v, institutions))
    data["position"] = cell_text(cells.get("position"))[:200]
    data["measure"] = cell_text(cells.get("measure"))[:300]
    if data.get("decided_on") is None and "decided_on" not in errors:
        errors["decided_on"] = _("A date is required.")
    institution = data.get("institution")
    if institution is not None:
        data["region"] = data.get("region") or institution.region
        data["agency"] = data.get("agency") or institution.agency
    return data, errors


def _reader(parsed: ParsedRows, today: datetime.date) -> ReadRow:
    institutions = lookup(Institution, "external_code", codes_in(parsed, "institution"))
    return partial(
        _row,
        today=today,
        agencies=by_code(Agency),
        regions=by_code(Region),
        institutions=institutions,
    )


def plan_table(
    table: ImportTable, *, actor: Any = None, lock: bool = False, today: datetime.date | None = None
) -> ImportPlan[Any]:
    """Check every row and plan it; writes nothing."""
    return plan_keyed_rows(
        table,
        columns=COLUMNS,
        required=REQUIRED_COLUMNS,
        model=AccountabilityRecord,
        key_field="source_key",
        reader=_reader,
        plan_valid=row_against(COMPARED),
        lock=lock,
        today=today,
    )


def accountability_write(
    plan: ImportPlan[Any],
    *,
    actor: Any = None,
    context: RequestContext | None = None,
    batch: Any = None,
) -> tuple[int, int]:
    created = [
        AccountabilityRecord(source_key=row.key, recorded_by=actor, **row.data)
        for row in plan.rows
        if row.action == CREATE
    ]
    AccountabilityRecord.objects.bulk_create(created, batch_size=BATCH_SIZE)
    changed: list[AccountabilityRecord] = []
    for row in plan.rows:
        if row.action == UPDATE:
            for name in COMPARED:
                setattr(row.instance, name, row.data[name])
            changed.append(row.instance)
    if changed:
        AccountabilityRecord.objects.bulk_update(
            changed, [*COMPARED, "updated_at"], batch_size=BATCH_SIZE
        )
    return len(created), len(changed)


def template(fmt: str) -> bytes:
    year = timezone.localdate().year - 1
    rows = [
        [
            f"ACC-{year}-001",
            f"{year}-04-12",
            "disciplinary",
            "commissioner",
            "Duty officer",
            "Reprimand",
            "MVD-KUIS",
            "KZ-71",
            "",
        ],
        [
            f"ACC-{year}-002",
            f"20.05.{year}",
            "criminal",
            "npm_participant",
            "Deputy head",
            "Criminal charge",
            "MVD-KUIS",
            "KZ-75",
            "",
        ],
    ]
    return build_file(fmt, rows, list(COLUMNS), "accountability")


def _row_cells(row: dict[str, Any]) -> list[PreviewCell]:
    return [
        PreviewCell(row.get("source_id", "")),
        PreviewCell(row.get("decided_on", ""), nowrap=True),
        PreviewCell(row.get("responsibility", "")),
        PreviewCell(row.get("initiative", "")),
    ]


ACCOUNTABILITY = ImportKind(
    name=KIND,
    audit_action=AuditAction.ACCOUNTABILITY_IMPORTED,
    may_import=can_import_cases,
    plan=plan_table,
    write=accountability_write,
    columns=partial(column_guides, REQUIRED_COLUMNS, OPTIONAL_COLUMNS, COLUMN_NOTES),
    template=template,
    template_name="vigil-accountability-template",
    pages=ImportPages(
        namespace="appeals:accountability_import",
        title=gettext_lazy("Import accountability records"),
        intro=gettext_lazy(
            "Upload a spreadsheet of officials brought to disciplinary, administrative or "
            "criminal responsibility, and on whose initiative. Each row is matched on its id, "
            "so importing the same file again changes nothing. Nothing is saved until you "
            "confirm; if any row has an error, nothing is imported."
        ),
        columns_note=gettext_lazy(
            "Column names are not case-sensitive and may come in any order. Dates may be "
            "written as YYYY-MM-DD or DD.MM.YYYY, or be Excel date cells."
        ),
        list_label=gettext_lazy("Accountability"),
        list_url_name="appeals:accountability_list",
        row_headers=(
            gettext_lazy("Id"),
            gettext_lazy("Decided on"),
            gettext_lazy("Responsibility"),
            gettext_lazy("Initiative"),
        ),
        row_cells=_row_cells,
        done_url_name="appeals:accountability_list",
    ),
)

accountability_import_check = partial(import_check, KIND)
accountability_import = partial(import_apply, KIND)
