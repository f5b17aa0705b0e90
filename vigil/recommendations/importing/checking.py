"""Checking a table of historical recommendations: every cell validated, a plan for each row.

Each row is planned as a create, an update (its external reference is known and something
differs) or unchanged; problems are listed as `ImportIssue(row, column, message)` with the row
number Excel shows (the header is row 1). Nothing is written here. Lookups take a constant
number of queries: all agencies at once, institutions and existing recommendations in chunks.
"""

import datetime
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vigil.core.importing import (
    CREATE,
    LOOKUP_CHUNK,
    UNCHANGED,
    UPDATE,
    CellError,
    ImportIssue,
    ImportPlan,
    ImportTable,
    RowPlan,
    cell_text,
    is_blank,
    issues_by_column,
    locate_columns,
    row_cells,
)
from vigil.reference.models import Agency
from vigil.registry.models import Institution
from vigil.visits.enums import Theme

from .. import workflow
from ..enums import Level, Source, State, Tally
from ..models import Recommendation
from ..tally import STATE_OF_TALLY, TALLY_OF_STATE
from ..workflow import Via
from .columns import IMPORT_COLUMNS, REQUIRED_COLUMNS

OTHER = "other"

EXTERNAL_REF_MAX = Recommendation._meta.get_field("external_ref").max_length or 64
SOURCE_DOCUMENT_MAX = Recommendation._meta.get_field("source_document").max_length or 200
IMPORTABLE_SOURCES = (
    Source.VISIT_REPORT,
    Source.THEMATIC_REPORT,
    Source.ANNUAL_REPORT,
    Source.UN_BODY,
)
DEFAULT_SOURCE = Source.ANNUAL_REPORT
THEMES: tuple[str, ...] = tuple(Theme.values)
LEVELS: tuple[str, ...] = tuple(Level.values)
SOURCES: tuple[str, ...] = tuple(str(s) for s in IMPORTABLE_SOURCES)

# Compared to decide whether a known recommendation changes.
COMPARED = (
    "text",
    "addressee_id",
    "institution_id",
    "theme",
    "issued_on",
    "deadline",
    "state",
    "state_changed_on",
    "level",
    "source",
    "source_document",
)

# Official tally terms as NPMs write them (UX.md), besides the codes and English labels.
_TALLY_WORDS = {
    Tally.IMPLEMENTED: ("исполнено", "выполнено", "орындалды"),
    Tally.IN_IMPLEMENTATION: ("на исполнении", "в процессе исполнения", "орындалуда"),
    Tally.NOT_ACCEPTED: ("не принято", "қабылданбады"),
}


def _key(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().casefold().replace("ё", "е"))


def _status_aliases() -> dict[str, str]:
    aliases: dict[str, str] = {}
    for state in State:
        if state != State.DRAFT:
            aliases[_key(state.value)] = state.value
            aliases[_key(str(state.label))] = state.value
    for tally, state in STATE_OF_TALLY.items():
        aliases[_key(str(tally))] = str(state)
        aliases[_key(str(Tally(tally).label))] = str(state)
        for word in _TALLY_WORDS[Tally(tally)]:
            aliases[_key(word)] = str(state)
    return aliases


@dataclass(kw_only=True)
class RecommendationRow(RowPlan[Recommendation]):
    """A checked row, matched on its external reference (`key`); `addressee` is the agency's
    code, as the preview shows it."""

    addressee: str

    def as_dict(self) -> dict[str, Any]:
        return {
            **super().as_dict(),
            "external_ref": self.key,
            "addressee": self.addressee,
            "issued_on": self.data["issued_on"].isoformat(),
            "state": self.data["state"],
        }


@dataclass
class RecommendationsPlan(ImportPlan[RecommendationRow]):
    """The plan of a recommendations file, with the codes of the agencies and institutions
    its rows name (to show changes) and the file by official tally."""

    codes: dict[str, dict[int, str]] = field(
        default_factory=lambda: {"agency": {}, "institution": {}}
    )

    @property
    def tally(self) -> dict[str, int]:
        """The file's rows by official tally (through `tally.TALLY_OF_STATE`), and the rest."""
        counted = Counter(str(TALLY_OF_STATE.get(row.data["state"], OTHER)) for row in self.rows)
        return {key: counted.get(key, 0) for key in (*Tally.values, OTHER)}

    def extra_summary(self) -> dict[str, Any]:
        return {"tally": self.tally if not self.errors else {}}

    def audit_data(self) -> dict[str, Any]:
        return {"tally": self.tally}

    def notes(self) -> list[str]:
        parts = ", ".join(f"{key}: {value}" for key, value in self.tally.items())
        return [_("By official tally: %(parts)s.") % {"parts": parts}]


_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_DAY_FIRST = re.compile(r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})")
_ISO = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})")


def _date(value: Any) -> datetime.date | None:
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        return _EXCEL_EPOCH + datetime.timedelta(days=int(value))  # an Excel serial number
    text = str(value).strip()
    match = _DAY_FIRST.fullmatch(text) or _ISO.fullmatch(text)
    try:
        if match:
            parts = match.groupdict()
            return datetime.date(int(parts["y"]), int(parts["m"]), int(parts["d"]))
        return datetime.datetime.fromisoformat(text).date()
    except ValueError:
        pass
    raise CellError(
        _("“%(value)s” is not a date; write it as YYYY-MM-DD or DD.MM.YYYY.") % {"value": text}
    )


def _choice(value: Any, allowed: tuple[str, ...]) -> str:
    text = _key(cell_text(value))
    found = _choices(allowed).get(text)
    if found is None:
        raise CellError(
            _("Unknown value “%(value)s”; use one of: %(allowed)s.")
            % {"value": cell_text(value), "allowed": ", ".join(allowed)}
        )
    return found


@cache
def _choices(allowed: tuple[str, ...]) -> dict[str, str]:
    return {_key(code): code for code in allowed}


def _chunks(values: Iterable[str]) -> Iterable[list[str]]:
    ordered = sorted(set(values))
    for start in range(0, len(ordered), LOOKUP_CHUNK):
        yield ordered[start : start + LOOKUP_CHUNK]


def _existing(refs: Iterable[str], *, lock: bool) -> dict[str, Recommendation]:
    found: dict[str, Recommendation] = {}
    for chunk in _chunks(refs):
        qs = Recommendation.objects.filter(external_ref__in=chunk).order_by("pk")
        if lock:
            qs = qs.select_for_update(of=("self",))
        for rec in qs:
            found[rec.external_ref or ""] = rec
    return found


def _institutions(codes: Iterable[str]) -> dict[str, Institution]:
    found: dict[str, Institution] = {}
    for chunk in _chunks(codes):
        for inst in Institution.objects.filter(external_code__in=chunk).only("pk", "external_code"):
            found[(inst.external_code or "").casefold()] = inst
    return found


class _Row:
    """One row's cells resolved to model values, or the errors by column."""

    def __init__(
        self,
        cells: dict[str, Any],
        *,
        agencies: dict[str, Agency],
        institutions: dict[str, Institution],
        existing: Recommendation | None,
        statuses: dict[str, str],
        today: datetime.date,
    ) -> None:
        self.errors: dict[str, str] = {}
        self.data: dict[str, Any] = {}
        present = set(cells)
        for column in IMPORT_COLUMNS:
            if column not in present:
                continue
            try:
                self._cell(column, cells[column], agencies, institutions, existing, statuses)
            except CellError as exc:
                self.errors[column] = exc.message
        self._defaults(existing, present)
        self._cross_checks(today)

    def _cell(
        self,
        column: str,
        value: Any,
        agencies: dict[str, Agency],
        institutions: dict[str, Institution],
        existing: Recommendation | None,
        statuses: dict[str, str],
    ) -> None:
        data = self.data
        if column == "external_ref":
            ref = cell_text(value)
            if not ref:
                raise CellError(_("The external reference must be filled in; imports match on it."))
            if len(ref) > EXTERNAL_REF_MAX:
                raise CellError(
                    ngettext(
                        "At most %(max)s character (it has %(n)s).",
                        "At most %(max)s characters (it has %(n)s).",
                        EXTERNAL_REF_MAX,
                    )
                    % {"max": EXTERNAL_REF_MAX, "n": len(ref)}
                )
            data["external_ref"] = ref
        elif column == "text":
            text = cell_text(value)
            if not text:
                raise CellError(_("Write the recommended action."))
            data["text"] = text
        elif column == "addressee":
            code = cell_text(value)
            if not code:
                raise CellError(_("Give the code of the agency it was addressed to."))
            agency = agencies.get(code.casefold())
            if agency is None:
                raise CellError(_("Unknown agency code “%(code)s”.") % {"code": code})
            data["addressee_id"] = agency.pk
        elif column == "institution":
            code = cell_text(value)
            if not code:
                data["institution_id"] = None
                return
            institution = institutions.get(code.casefold())
            if institution is None:
                raise CellError(_("Unknown institution code “%(code)s”.") % {"code": code})
            data["institution_id"] = institution.pk
        elif column == "theme":
            if is_blank(value):
                raise CellError(_("Give the theme, T1 to T8."))
            data["theme"] = _choice(value, THEMES)
        elif column in ("issued_on", "deadline", "status_date"):
            day = _date(value)
            if day is None and column == "issued_on":
                raise CellError(_("Give the date the recommendation was issued."))
            data[column] = day
        elif column == "status":
            key = _key(cell_text(value))
            if not key:
                raise CellError(_("Give the status."))
            if key not in statuses:
                raise CellError(
                    _(
                        "Unknown status “%(value)s”; use a life-cycle status (e.g. "
                        "awaiting_response, no_response) or implemented, in_implementation, "
                        "not_accepted."
                    )
                    % {"value": cell_text(value)}
                )
            data["state"] = statuses[key]
        elif column == "level":
            if not is_blank(value):
                data["level"] = _choice(value, LEVELS)
        elif column == "source":
            if not is_blank(value):
                data["source"] = _choice(value, SOURCES)
        elif column == "source_document":
            text = cell_text(value)
            if len(text) > SOURCE_DOCUMENT_MAX:
                raise CellError(
                    ngettext(
                        "At most %(max)s character (it has %(n)s).",
                        "At most %(max)s characters (it has %(n)s).",
                        SOURCE_DOCUMENT_MAX,
                    )
                    % {"max": SOURCE_DOCUMENT_MAX, "n": len(text)}
                )
            data["source_document"] = text

    def _defaults(self, existing: Recommendation | None, present: set[str]) -> None:
        data = self.data
        for name, default in (("level", Level.INSTITUTIONAL), ("source", DEFAULT_SOURCE)):
            if name not in data:
                data[name] = getattr(existing, name) if existing else str(default)
        if "source_document" not in present:
            data["source_document"] = existing.source_document if existing else ""
        if "institution" not in present:
            data["institution_id"] = existing.institution_id if existing else None
        if "deadline" not in present:
            data["deadline"] = existing.deadline if existing else None
        status_date = data.pop("status_date", None)
        self.status_date_given = status_date is not None
        data["state_changed_on"] = status_date or data.get("issued_on")

    def _cross_checks(self, today: datetime.date) -> None:
        data, errors = self.data, self.errors
        issued_on = data.get("issued_on")
        if issued_on is None:
            return
        if issued_on > today and "issued_on" not in errors:
            errors["issued_on"] = _("The issue date is in the future.")
        deadline = data.get("deadline")
        if deadline is not None and deadline < issued_on and "deadline" not in errors:
            errors["deadline"] = _("The deadline cannot be before the issue date.")
        changed = data.get("state_changed_on")
        if self.status_date_given and changed is not None and "status_date" not in errors:
            if changed < issued_on:
                errors["status_date"] = _("The status date cannot be before the issue date.")
            elif changed > today:
                errors["status_date"] = _("The status date is in the future.")


def _display(name: str, value: Any, codes: dict[str, dict[int, str]]) -> str:
    if value is None:
        return ""
    if name == "addressee_id":
        return codes["agency"].get(value, str(value))
    if name == "institution_id":
        return codes["institution"].get(value, str(value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"


def _changes(
    data: dict[str, Any], existing: Recommendation, codes: dict[str, dict[int, str]]
) -> dict[str, list[str]]:
    changes: dict[str, list[str]] = {}
    for name in COMPARED:
        old, new = getattr(existing, name), data[name]
        if old != new:
            label = name.removesuffix("_id")
            changes[label] = [_display(name, old, codes), _display(name, new, codes)]
    return changes


def plan_table(
    table: ImportTable,
    *,
    actor: Any = None,
    lock: bool = False,
    today: datetime.date | None = None,
) -> RecommendationsPlan:
    """Validate every row of `table` against the database and plan each one. Writes nothing;
    `lock=True` (when applying) locks the known recommendations' rows. Status changes of
    known recommendations must be import moves of the life cycle open to `actor`."""
    today = today or timezone.localdate()
    plan = RecommendationsPlan(file_name=table.file_name, file_format=table.file_format)
    positions = locate_columns(table, plan, columns=IMPORT_COLUMNS, required=REQUIRED_COLUMNS)
    if positions is None:
        return plan
    parsed = row_cells(table, positions, IMPORT_COLUMNS)
    agencies = {a.code.casefold(): a for a in Agency.objects.only("pk", "code")}
    plan.codes["agency"] = {a.pk: a.code for a in agencies.values()}
    institutions: dict[str, Institution] = {}
    if "institution" in positions:
        institutions = _institutions(
            code for _n, cells in parsed if (code := cell_text(cells["institution"]))
        )
        plan.codes["institution"] = {i.pk: i.external_code or "" for i in institutions.values()}
    existing = _existing(
        (ref for _n, cells in parsed if (ref := cell_text(cells["external_ref"]))), lock=lock
    )
    statuses = _status_aliases()
    first_row: dict[str, int] = {}
    for number, cells in parsed:
        ref = cell_text(cells["external_ref"])
        instance = existing.get(ref) if ref else None
        row = _Row(
            cells,
            agencies=agencies,
            institutions=institutions,
            existing=instance,
            statuses=statuses,
            today=today,
        )
        if ref and ref in first_row:
            row.errors.setdefault(
                "external_ref",
                _("The reference “%(ref)s” is also used on row %(row)s.")
                % {"ref": ref, "row": first_row[ref]},
            )
        elif ref:
            first_row[ref] = number
        if row.errors:
            plan.errors.extend(issues_by_column(number, row.errors, IMPORT_COLUMNS))
            continue
        addressee = plan.codes["agency"].get(row.data["addressee_id"], "")
        if instance is None:
            plan.rows.append(RecommendationRow(number, ref, CREATE, row.data, addressee=addressee))
        else:
            changes = _changes(row.data, instance, plan.codes)
            action = UPDATE if changes else UNCHANGED
            plan.rows.append(
                RecommendationRow(
                    number, ref, action, row.data, instance, changes, addressee=addressee
                )
            )
    if plan.is_valid:
        _check_moves(plan, actor)
    return plan


def _check_moves(plan: RecommendationsPlan, actor: Any) -> None:
    """Status changes of known recommendations must be import moves of the life cycle."""
    for row in plan.rows:
        if row.action != UPDATE or row.instance is None:
            continue
        old, new = row.instance.state, row.data["state"]
        if old == new:
            continue
        move = workflow.find(old, new, Via.IMPORT)
        if move is None or not move.who(actor, row.instance):
            plan.errors.append(
                ImportIssue(
                    row.row,
                    "status",
                    _("A recommendation in “%(old)s” cannot be moved to “%(new)s” by an import.")
                    % {"old": row.instance.get_state_display(), "new": new},
                )
            )
