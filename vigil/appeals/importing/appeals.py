"""The historical import of appeals, kind "appeals" (e.g. the NPM's spreadsheets of past years).

Each row is matched on the file's own id (`source_id`), kept as the appeal's `external_id`
with no intake partner. The unique constraint on (intake partner, external id) does not hold
for these: NULLs are distinct in a unique constraint (PostgreSQL and SQLite alike), so the
import itself looks the ids up among the appeals with no partner. A known id is left as it
is (the preview shows it as already there), so importing the same file again changes nothing.

Appeals are built by the appeal service's one creation path (`appeals_bulk_create`): content
encrypted, appellant sealed with the fingerprint of the name; the uploaded file itself is kept
encrypted between preview and confirmation (`sealed_file`). Each gets a timeline (created,
then the state it was imported in, via "import"); the pipeline writes one audit row per file.
All rows or nothing; errors name the row and the column.
"""

import datetime
import zlib
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.core.calendar import WorkingCalendar
from vigil.core.importing import (
    CREATE,
    UNCHANGED,
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

from ..deadlines import add_limit, time_limit
from ..enums import CLOSED_APPEAL_STATES, AppealState, Channel, EventKind, TimeLimitCode, Urgency
from ..models import AllegationType, Appeal, AppealSubject
from ..permissions import can_import_appeals
from ..services.appeals import (
    AppealDraft,
    Appellant,
    appeal_draft_errors,
    appeals_bulk_create,
)
from ..timeline import new_event, record_events
from ..workflow import Via
from .cells import (
    ParsedRows,
    ReadRow,
    SourceRow,
    by_code,
    choice_cell,
    code_cell,
    codes_in,
    date_cell,
    lookup,
    plan_keyed_rows,
    yes_no_cell,
)

KIND = "appeals"
A = AppealState
# Any state of the life cycle but MERGED (a merged appeal needs the appeal it joined).
IMPORTED_STATES = tuple(s for s in AppealState.values if s != A.MERGED)
CLOSED_STATES = tuple(s for s in IMPORTED_STATES if s in CLOSED_APPEAL_STATES)

REQUIRED_COLUMNS: tuple[str, ...] = ("source_id", "received_on")
OPTIONAL_COLUMNS: tuple[str, ...] = (
    "channel",
    "subject",
    "allegations",
    "urgency",
    "institution",
    "institution_text",
    "region",
    "state",
    "registered_on",
    "closed_on",
    "summary",
    "content",
    "anonymous",
    "name",
    "contact",
)
COLUMNS = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
COLUMN_NOTES = {
    "source_id": gettext_lazy(
        "Your id of the appeal (up to 100 characters); an id imported before is left as it "
        "is, so importing the same file again changes nothing."
    ),
    "received_on": gettext_lazy("Date the appeal was received: YYYY-MM-DD or DD.MM.YYYY."),
    "channel": gettext_lazy(
        "How it came: letter (if empty), visit, web_form, e_government, terminal, hotline, "
        "relative, lawyer, ngo, anonymous or own_initiative."
    ),
    "subject": gettext_lazy("Code of the subject, e.g. torture, medical_care, living_conditions."),
    "allegations": gettext_lazy(
        "Codes of the allegation types separated by “;”, e.g. torture;cruel_treatment."
    ),
    "urgency": gettext_lazy("routine (if empty), urgent or immediate."),
    "institution": gettext_lazy("External code of the institution (may be empty)."),
    "institution_text": gettext_lazy(
        "The place as the appellant named it, when it is not in the registry."
    ),
    "region": gettext_lazy("Region code, e.g. KZ-71 (empty: the institution's region)."),
    "state": gettext_lazy(
        "received, registered, triaged, in_review, referred, explained, out_of_mandate, "
        "response_received, closed_resolved or closed_unresolved (empty: closed_resolved "
        "when closed_on is given, else registered)."
    ),
    "registered_on": gettext_lazy(
        "Date of the registration (empty: the date received; none for a received appeal)."
    ),
    "closed_on": gettext_lazy("Date the appeal was closed: required for a closed state."),
    "summary": gettext_lazy("A short description for lists, without names (up to 300 characters)."),
    "content": gettext_lazy(
        "What the appellant wrote; stored encrypted. If empty, the summary is used as the content."
    ),
    "anonymous": gettext_lazy("yes or no (empty: no; yes for the anonymous channel)."),
    "name": gettext_lazy("The appellant's name: sealed, never shown without an unseal."),
    "contact": gettext_lazy("The appellant's contact: sealed with the name."),
}
# A field the appeal service refuses → the column that holds it.
FIELD_COLUMNS = {
    "content": "content",
    "name": "name",
    "anonymous": "anonymous",
    "summary": "summary",
    "institution_text": "institution_text",
    "external_id": "source_id",
    "channel": "channel",
    "urgency": "urgency",
    "state": "state",
    "received_on": "received_on",
    "registered_on": "registered_on",
    "closed_on": "closed_on",
}


@dataclass(frozen=True)
class Lookups:
    """The codes a file may use, looked up once."""

    subjects: dict[str, AppealSubject]
    allegations: dict[str, AllegationType]
    regions: dict[str, Region]
    institutions: dict[str, Institution]


@dataclass
class AppealRow(SourceRow):
    """A checked row; an appeal already imported shows its reference in the preview."""

    def as_dict(self) -> dict[str, Any]:
        reference = self.instance.reference if isinstance(self.instance, Appeal) else ""
        return {**super().as_dict(), "reference": reference}


def _allegations(value: Any, known: dict[str, AllegationType]) -> list[AllegationType]:
    codes = [c for part in cell_text(value).split(";") if (c := part.strip())]
    unknown = [c for c in codes if c.casefold() not in known]
    if unknown:
        raise CellError(_("Unknown code “%(code)s”.") % {"code": unknown[0]})
    return list(dict.fromkeys(known[c.casefold()] for c in codes))


def _dates(data: dict[str, Any], errors: dict[str, str]) -> None:
    """The state against its dates: a received appeal is not registered, a closed one has
    its closing date, nothing happens before the appeal was received."""
    state, received = data.get("state"), data.get("received_on")
    registered, closed = data.get("registered_on"), data.get("closed_on")
    if state == A.RECEIVED and registered:
        errors.setdefault("registered_on", _("An appeal still received is not registered yet."))
    elif state not in (None, A.RECEIVED) and registered is None and received:
        data["registered_on"] = received
    if state in CLOSED_STATES and closed is None and "closed_on" not in errors:
        errors["closed_on"] = _("A closed appeal needs the date it was closed.")
    if state not in (None, *CLOSED_STATES) and closed:
        errors.setdefault("closed_on", _("Only a closed appeal has a closing date."))
    if received and registered and registered < received:
        errors.setdefault("registered_on", _("The date cannot be before the appeal was received."))
    start = data.get("registered_on") or received
    if start and closed and closed < start:
        errors.setdefault("closed_on", _("The appeal cannot be closed before it was registered."))


def _row(
    cells: dict[str, Any], *, today: datetime.date, known: Lookups
) -> tuple[dict[str, Any], dict[str, str]]:
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}

    def read(column: str, parse: Any) -> None:
        try:
            data[column] = parse(cells.get(column))
        except CellError as exc:
            errors[column] = exc.message

    for column in ("received_on", "registered_on", "closed_on"):
        read(column, lambda v: date_cell(v, today))
    read("channel", lambda v: choice_cell(v, Channel.values) if cell_text(v) else Channel.LETTER)
    read("urgency", lambda v: choice_cell(v, Urgency.values) if cell_text(v) else Urgency.ROUTINE)
    read("subject", lambda v: code_cell(v, known.subjects))
    read("allegations", lambda v: _allegations(v, known.allegations))
    read("institution", lambda v: code_cell(v, known.institutions))
    read("region", lambda v: code_cell(v, known.regions))
    read("anonymous", yes_no_cell)
    if cell_text(cells.get("state")):
        read("state", lambda v: choice_cell(v, IMPORTED_STATES))
    elif "closed_on" not in errors:
        data["state"] = A.CLOSED_RESOLVED if data.get("closed_on") else A.REGISTERED
    if data.get("received_on") is None and "received_on" not in errors:
        errors["received_on"] = _("A date is required.")
    institution = data.get("institution")
    if data.get("region") is None and institution is not None:
        data["region"] = institution.region
    if data.get("channel") == Channel.ANONYMOUS:
        data["anonymous"] = True
    _dates(data, errors)
    return data, errors


def _draft(
    key: str, cells: dict[str, Any], data: dict[str, Any], actor: Any
) -> tuple[AppealDraft, dict[str, str]]:
    """The appeal service's draft of a valid row, and what the service refuses in it."""
    summary = cell_text(cells.get("summary"))
    content = cell_text(cells.get("content")) or summary
    state = data["state"]
    appeal = Appeal(
        channel=data["channel"],
        state=state,
        received_on=data["received_on"],
        registered_on=data["registered_on"],
        closed_on=data["closed_on"],
        anonymous=data["anonymous"],
        subject=data["subject"],
        urgency=data["urgency"],
        institution=data["institution"],
        institution_text=cell_text(cells.get("institution_text")),
        region=data["region"],
        summary=summary,
        registered_by=actor if state != A.RECEIVED else None,
        external_id=key,
    )
    appellant = Appellant(
        name=cell_text(cells.get("name")), contact=cell_text(cells.get("contact"))
    )
    draft = AppealDraft(appeal, content, appellant, data["allegations"])
    errors = {
        FIELD_COLUMNS.get(name, name): " ".join(messages)
        for name, messages in appeal_draft_errors(draft).items()
    }
    return draft, errors


def _lookups(parsed: ParsedRows) -> Lookups:
    return Lookups(
        subjects=by_code(AppealSubject),
        allegations=by_code(AllegationType),
        regions=by_code(Region),
        institutions=lookup(Institution, "external_code", codes_in(parsed, "institution")),
    )


# Two imports applied at once must not both create the same ids (no constraint holds them):
# on PostgreSQL they take turns on this lock, held to the end of the import's transaction.
IMPORT_LOCK = zlib.crc32(b"vigil.appeals.import")


def _take_turns() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])


def _plan_valid(
    number: int,
    key: str,
    cells: dict[str, Any],
    data: dict[str, Any],
    found: Any,
    *,
    actor: Any,
) -> AppealRow | dict[str, str]:
    """A new id gets the appeal service's draft (or what the service refuses in it); a
    known one is left as it is."""
    if found is not None:
        return AppealRow(number, key, UNCHANGED, data, found)
    data["draft"], errors = _draft(key, cells, data, actor)
    return errors or AppealRow(number, key, CREATE, data)


def plan_table(
    table: ImportTable, *, actor: Any = None, lock: bool = False, today: datetime.date | None = None
) -> ImportPlan[Any]:
    """Check every row and plan it (create, or already there); writes nothing."""

    def reader(parsed: ParsedRows, day: datetime.date) -> ReadRow:
        if lock:
            _take_turns()
        return partial(_row, today=day, known=_lookups(parsed))

    return plan_keyed_rows(
        table,
        columns=COLUMNS,
        required=REQUIRED_COLUMNS,
        model=Appeal,
        key_field="external_id",
        reader=reader,
        plan_valid=partial(_plan_valid, actor=actor),
        lock=lock,
        today=today,
        where={"intake_partner__isnull": True},
    )


def appeals_write(
    plan: ImportPlan[Any],
    *,
    actor: Any = None,
    context: RequestContext | None = None,
    batch: Any = None,
) -> tuple[int, int]:
    """Create the new appeals through the appeal service, each with its timeline: created
    (received, or registered), then the state it was imported in, via "import"."""
    drafts: list[AppealDraft] = [row.data["draft"] for row in plan.rows if row.action == CREATE]
    if drafts:
        answer, calendar = time_limit(TimeLimitCode.ANSWER), WorkingCalendar()
        for draft in drafts:
            if draft.appeal.registered_on is not None:
                draft.appeal.due_on = add_limit(draft.appeal.registered_on, answer, calendar)
    appeals = appeals_bulk_create(drafts)
    events = []
    for appeal in appeals:
        first = A.RECEIVED if appeal.state == A.RECEIVED else A.REGISTERED
        events.append(
            new_event(
                appeal,
                EventKind.CREATED,
                actor=actor,
                to_state=first,
                data={"via": str(Via.IMPORT), "source_id": appeal.external_id},
            )
        )
        if appeal.state != first:
            events.append(
                new_event(
                    appeal,
                    EventKind.STATE_CHANGED,
                    actor=actor,
                    from_state=first,
                    to_state=appeal.state,
                    data={"via": str(Via.IMPORT)},
                )
            )
    record_events(events)
    return len(appeals), 0


def template(fmt: str) -> bytes:
    year = timezone.localdate().year - 1
    rows = [
        [
            f"NPM-{year}-0001",
            f"{year}-02-03",
            "letter",
            "torture",
            "torture;cruel_treatment",
            "urgent",
            "",
            "Colony (as the appellant wrote it)",
            "KZ-71",
            "closed_unresolved",
            f"{year}-02-04",
            f"{year}-03-20",
            "Beaten by staff after a complaint",
            "",
            "no",
            "Appellant's name",
            "+7 700 000 00 00",
        ],
        [
            f"NPM-{year}-0002",
            f"15.05.{year}",
            "hotline",
            "medical_care",
            "health_care",
            "",
            "",
            "",
            "KZ-75",
            "in_review",
            f"16.05.{year}",
            "",
            "No medical care for a chronic illness",
            "What the appellant said on the hotline.",
            "yes",
            "",
            "",
        ],
    ]
    return build_file(fmt, rows, list(COLUMNS), "appeals")


def _row_cells(row: dict[str, Any]) -> list[PreviewCell]:
    return [
        PreviewCell(row.get("source_id", "")),
        PreviewCell(row.get("received_on", ""), nowrap=True),
        PreviewCell(row.get("channel", "")),
        PreviewCell(row.get("state", "")),
        PreviewCell(row.get("reference", ""), nowrap=True),
    ]


APPEALS = ImportKind(
    name=KIND,
    audit_action=AuditAction.APPEALS_IMPORTED,
    may_import=can_import_appeals,
    plan=plan_table,
    write=appeals_write,
    columns=partial(column_guides, REQUIRED_COLUMNS, OPTIONAL_COLUMNS, COLUMN_NOTES),
    template=template,
    template_name="vigil-appeals-template",
    sealed_file=True,  # names, contacts and what the appellants wrote
    pages=ImportPages(
        namespace="appeals:appeal_import",
        title=gettext_lazy("Import appeals"),
        intro=gettext_lazy(
            "Upload a spreadsheet of appeals of past years. Each row is matched on its id: a "
            "new id creates an appeal, an id imported before is left as it is, so importing "
            "the same file again changes nothing. What the appellants wrote is stored "
            "encrypted and their names and contacts sealed. Nothing is saved until you "
            "confirm; if any row has an error, nothing is imported."
        ),
        columns_note=gettext_lazy(
            "Column names are not case-sensitive and may come in any order. Dates may be "
            "written as YYYY-MM-DD or DD.MM.YYYY, or be Excel date cells."
        ),
        list_label=gettext_lazy("Appeals"),
        list_url_name="appeals:list",
        row_headers=(
            gettext_lazy("Id"),
            gettext_lazy("Received on"),
            gettext_lazy("Channel"),
            gettext_lazy("Status"),
            gettext_lazy("Already imported as"),
        ),
        row_cells=_row_cells,
        done_url_name="appeals:list",
    ),
)

appeals_import_check = partial(import_check, KIND)
appeals_import = partial(import_apply, KIND)
