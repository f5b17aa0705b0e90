"""The historical import of criminal cases (art. 146), kind "criminal_cases".

Each row is matched on the file's own id (`source_id` → `CriminalCase.source_key`): a new id
creates a case (with its first classification row and a CREATED event), a known one is
updated when something differs, so importing the same file again changes nothing. All rows
or nothing; errors name the row and the column.
"""

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
from vigil.reference.models import Region
from vigil.registry.models import Institution

from ..enums import CasePart, CaseState, EventKind, TerminationGround
from ..models import CaseClassification, CriminalCase, InvestigatingBody
from ..permissions import can_import_cases
from ..services.numbering import allocate_references
from ..timeline import new_event, record_events
from ..workflow import Via
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

KIND = "criminal_cases"
BATCH_SIZE = 500

REQUIRED_COLUMNS: tuple[str, ...] = ("source_id", "reported_on", "part", "state")
OPTIONAL_COLUMNS: tuple[str, ...] = (
    "investigating_body",
    "region",
    "institution",
    "info_book_entry_on",
    "register_number",
    "registered_on",
    "termination_ground",
    "terminated_on",
    "sent_to_court_on",
    "verdict_on",
)
COLUMNS = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
COLUMN_NOTES = {
    "source_id": gettext_lazy(
        "Your id of the case (up to 100 characters); rows are matched on it, so importing the "
        "same file again changes nothing."
    ),
    "reported_on": gettext_lazy("Date the allegation was reported: YYYY-MM-DD or DD.MM.YYYY."),
    "part": gettext_lazy("Part of art. 146: 1, 2, 3 or 4."),
    "state": gettext_lazy(
        "reported, registered, registration_refused, investigation, charged, in_court, "
        "convicted, acquitted, final, terminated or suspended."
    ),
    "investigating_body": gettext_lazy(
        "Code of the investigating body, e.g. special_prosecutor, internal_affairs."
    ),
    "region": gettext_lazy("Region code, e.g. KZ-71 (empty: the institution's region)."),
    "institution": gettext_lazy("External code of the institution (may be empty)."),
    "info_book_entry_on": gettext_lazy("Date of the entry in the information book."),
    "register_number": gettext_lazy("Number in the pre-trial investigations register."),
    "registered_on": gettext_lazy("Date of the pre-trial registration."),
    "termination_ground": gettext_lazy(
        "For a terminated case: lack_of_evidence, no_crime, reclassified, amnesty, death, other."
    ),
    "terminated_on": gettext_lazy("Date of the termination."),
    "sent_to_court_on": gettext_lazy("Date the case was sent to court."),
    "verdict_on": gettext_lazy("Date of the verdict."),
}
# Compared to decide whether a known case changes.
COMPARED = (
    "reported_on",
    "part",
    "state",
    "investigating_body",
    "region",
    "institution",
    "info_book_entry_on",
    "register_number",
    "registered_on",
    "termination_ground",
    "terminated_on",
    "sent_to_court_on",
    "verdict_on",
)
DATES = (
    "reported_on",
    "info_book_entry_on",
    "registered_on",
    "terminated_on",
    "sent_to_court_on",
    "verdict_on",
)
PARTS = tuple(str(p) for p in CasePart.values)


def _row(
    cells: dict[str, Any],
    *,
    today: datetime.date,
    bodies: dict[str, InvestigatingBody],
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

    for column in DATES:
        read(column, lambda v: date_cell(v, today))
    read("part", lambda v: int(choice_cell(v, PARTS)))
    read("state", lambda v: choice_cell(v, CaseState.values))
    read("investigating_body", lambda v: code_cell(v, bodies))
    read("region", lambda v: code_cell(v, regions))
    read("institution", lambda v: code_cell(v, institutions))
    read(
        "termination_ground",
        lambda v: choice_cell(v, TerminationGround.values) if cell_text(v) else "",
    )
    data["register_number"] = cell_text(cells.get("register_number"))[:60]
    if data.get("reported_on") is None and "reported_on" not in errors:
        errors["reported_on"] = _("A date is required.")
    if data.get("region") is None and data.get("institution") is not None:
        data["region"] = data["institution"].region
    state = data.get("state")
    if state == CaseState.TERMINATED and not data.get("termination_ground"):
        errors.setdefault("termination_ground", _("A terminated case needs its grounds."))
    if state not in (None, CaseState.TERMINATED) and data.get("termination_ground"):
        errors.setdefault("termination_ground", _("Only a terminated case has grounds."))
    entry, registered = data.get("info_book_entry_on"), data.get("registered_on")
    if entry and registered and registered < entry:
        errors.setdefault(
            "registered_on", _("The registration cannot come before the information-book entry.")
        )
    reported = data.get("reported_on")
    for column in DATES[1:]:
        if reported and data.get(column) and data[column] < reported and column not in errors:
            errors[column] = _("The date cannot be before the case was reported.")
    return data, errors


def _reader(parsed: ParsedRows, today: datetime.date) -> ReadRow:
    institutions = lookup(Institution, "external_code", codes_in(parsed, "institution"))
    return partial(
        _row,
        today=today,
        bodies=by_code(InvestigatingBody),
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
        model=CriminalCase,
        key_field="source_key",
        reader=_reader,
        plan_valid=row_against(COMPARED),
        lock=lock,
        today=today,
    )


def cases_write(
    plan: ImportPlan[Any],
    *,
    actor: Any = None,
    context: RequestContext | None = None,
    batch: Any = None,
) -> tuple[int, int]:
    """Write a valid plan in bulk: new cases with their first classification and a CREATED
    event; changed ones updated with an EDITED event (and a classification row when the part
    or the body changed)."""
    creates = [row for row in plan.rows if row.action == CREATE]
    updates = [row for row in plan.rows if row.action == UPDATE]
    take = allocate_references(CriminalCase, "C", (row.data["reported_on"].year for row in creates))
    new_cases = [
        CriminalCase(
            reference=take(row.data["reported_on"].year),
            source_key=row.key,
            created_by=actor,
            **{name: row.data[name] for name in COMPARED},
        )
        for row in creates
    ]
    CriminalCase.objects.bulk_create(new_cases, batch_size=BATCH_SIZE)
    classifications = [
        CaseClassification(
            case=case,
            part=case.part,
            investigating_body=case.investigating_body,
            effective_on=case.registered_on or case.info_book_entry_on or case.reported_on,
            recorded_by=actor,
        )
        for case in new_cases
    ]
    events = [
        new_event(
            case,
            EventKind.CREATED,
            actor=actor,
            to_state=case.state,
            data={"via": str(Via.IMPORT), "source_id": case.source_key},
        )
        for case in new_cases
    ]
    changed: list[CriminalCase] = []
    today = timezone.localdate()
    for row in updates:
        case = row.instance
        reclassified = case.part != row.data["part"] or (
            case.investigating_body_id
            != (row.data["investigating_body"].pk if row.data["investigating_body"] else None)
        )
        before = case.state
        for name in COMPARED:
            setattr(case, name, row.data[name])
        changed.append(case)
        if reclassified:
            classifications.append(
                CaseClassification(
                    case=case,
                    part=case.part,
                    investigating_body=case.investigating_body,
                    effective_on=today,
                    recorded_by=actor,
                    note=_("Imported"),
                )
            )
        events.append(
            new_event(
                case,
                EventKind.EDITED,
                actor=actor,
                from_state=before,
                to_state=case.state,
                data={"via": str(Via.IMPORT), "fields": sorted(row.changes)},
            )
        )
    if changed:
        CriminalCase.objects.bulk_update(
            changed, [*(f for f in COMPARED), "updated_at"], batch_size=BATCH_SIZE
        )
    CaseClassification.objects.bulk_create(classifications, batch_size=BATCH_SIZE)
    record_events(events)
    return len(new_cases), len(changed)


def template(fmt: str) -> bytes:
    year = timezone.localdate().year - 1
    rows = [
        [
            f"PGO-{year}-001",
            f"{year}-02-03",
            2,
            "in_court",
            "special_prosecutor",
            "KZ-71",
            "",
            f"{year}-02-03",
            f"{year}146000001",
            f"{year}-02-10",
            "",
            "",
            f"{year}-09-01",
            "",
        ],
        [
            f"PGO-{year}-002",
            f"03.03.{year}",
            1,
            "terminated",
            "internal_affairs",
            "KZ-75",
            "",
            f"03.03.{year}",
            "",
            "",
            "lack_of_evidence",
            f"01.06.{year}",
            "",
            "",
        ],
    ]
    return build_file(fmt, rows, list(COLUMNS), "criminal-cases")


def _row_cells(row: dict[str, Any]) -> list[PreviewCell]:
    return [
        PreviewCell(row.get("source_id", "")),
        PreviewCell(row.get("reported_on", ""), nowrap=True),
        PreviewCell(row.get("part", "")),
        PreviewCell(row.get("state", "")),
    ]


CRIMINAL_CASES = ImportKind(
    name=KIND,
    audit_action=AuditAction.CASES_IMPORTED,
    may_import=can_import_cases,
    plan=plan_table,
    write=cases_write,
    columns=partial(column_guides, REQUIRED_COLUMNS, OPTIONAL_COLUMNS, COLUMN_NOTES),
    template=template,
    template_name="vigil-criminal-cases-template",
    pages=ImportPages(
        namespace="appeals:case_import",
        title=gettext_lazy("Import criminal cases (art. 146)"),
        intro=gettext_lazy(
            "Upload a spreadsheet of earlier torture and ill-treatment cases with their parts, "
            "investigating bodies, registration and outcome. Each row is matched on its id: a "
            "new id creates a case, a known one updates it, so importing the same file again "
            "changes nothing. Nothing is saved until you confirm; if any row has an error, "
            "nothing is imported."
        ),
        columns_note=gettext_lazy(
            "Column names are not case-sensitive and may come in any order. Dates may be "
            "written as YYYY-MM-DD or DD.MM.YYYY, or be Excel date cells."
        ),
        list_label=gettext_lazy("Criminal cases"),
        list_url_name="appeals:case_list",
        row_headers=(
            gettext_lazy("Id"),
            gettext_lazy("Reported on"),
            gettext_lazy("Part"),
            gettext_lazy("Status"),
        ),
        row_cells=_row_cells,
        done_url_name="appeals:case_list",
    ),
)

cases_import_check = partial(import_check, KIND)
cases_import = partial(import_apply, KIND)
