"""Kinds of import: what a domain app plugs into the shared pipeline, and their registry.

Each app that imports files describes its kind once (`ImportKind`: who may import, how its
rows are checked and written, its columns, its template file and the texts of its pages) and
registers it in its `AppConfig.ready()` with `register_import_kind`. The pipeline, the command
base and the pages find a kind by its name, which is also `ImportBatch.kind`.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise

from vigil.audit.enums import AuditAction

from .plan import ImportPlan
from .reading import import_max_rows

type Text = str | Promise
# The project's user (settings.AUTH_USER_MODEL), or None for the system (a command).
type Actor = Any


@dataclass(frozen=True)
class ColumnGuide:
    """A column as the upload page explains it."""

    name: str
    required: bool
    note: Text


def column_guides(
    required: Sequence[str], optional: Sequence[str], notes: Mapping[str, Text]
) -> list[ColumnGuide]:
    """The required columns, then the optional ones, each with its note."""
    return [ColumnGuide(name, name in required, notes[name]) for name in (*required, *optional)]


@dataclass(frozen=True)
class PreviewCell:
    """A kind's own cell in a row of the preview table (`content` may be safe HTML)."""

    content: Any
    nowrap: bool = False


@dataclass(frozen=True)
class Breakdown:
    """A line of figures under the preview's counts (e.g. the file by official tally)."""

    intro: Text
    items: Sequence[tuple[Text, int]]
    testid: str


def _no_breakdown(_summary: dict[str, Any]) -> Breakdown | None:
    return None


@dataclass(frozen=True, kw_only=True)
class ImportPages:
    """The texts and links of a kind's upload and preview pages."""

    namespace: str  # URL namespace holding import_upload, import_template, import_preview
    title: Text  # the upload page's title, e.g. "Import institutions"
    intro: Text
    columns_note: Text
    list_label: Text  # the breadcrumb's first link, e.g. "Institutions"
    list_url_name: str
    row_headers: Sequence[Text]  # the kind's own columns of the preview table
    row_cells: Callable[[dict[str, Any]], list[PreviewCell]]
    breakdown: Callable[[dict[str, Any]], Breakdown | None] = _no_breakdown
    done_url_name: str | None = None  # after a confirmed import; None: its preview again
    applied_link: tuple[Text, str] | None = None  # (label, URL name) shown once applied
    show_max_rows: bool = False


@dataclass(frozen=True, kw_only=True)
class ImportKind:
    """The hooks of one kind of import.

    * `plan(table, actor=, lock=)` checks every row of a read table against the database and
      plans it; it writes nothing (`lock=True` when applying: lock the rows it will change).
    * `write(plan, actor=, context=, batch=)` writes a valid plan's rows through the app's
      services and returns (created, updated); on a conflict found while writing it raises
      `ImportValidationError`, and the pipeline's transaction keeps nothing.
    """

    name: str
    audit_action: AuditAction
    may_import: Callable[[Actor], bool]
    plan: Callable[..., ImportPlan[Any]]
    write: Callable[..., tuple[int, int]]
    columns: Callable[[], Sequence[ColumnGuide]]
    template: Callable[[str], bytes]  # the downloadable template, "csv" or "xlsx"
    template_name: str  # its file name without the extension
    pages: ImportPages
    max_rows: Callable[[], int] = import_max_rows
    # The uploaded file is kept encrypted between preview and confirmation (it holds what a
    # person wrote or who they are, e.g. historical appeals): never in clear in the database.
    sealed_file: bool = False
    # The file spreads over several tables (a workbook's sheets, a ZIP of CSV files): the
    # table's `sheets` holds the others (e.g. the repeat groups of form submissions).
    reads_sheets: bool = False
    # Each batch is seen (previewed, confirmed) by its uploader alone, not by everyone who
    # may import the kind: its rows name objects other importers may not see (visits).
    private_batches: bool = False


_KINDS: dict[str, ImportKind] = {}


def register_import_kind(kind: ImportKind) -> None:
    """Make `kind` known by its name (from the owning app's `AppConfig.ready()`)."""
    known = _KINDS.get(kind.name)
    if known is not None and known is not kind:
        raise ImproperlyConfigured(f"Two import kinds are named {kind.name!r}.")
    _KINDS[kind.name] = kind


def import_kind(name: str) -> ImportKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"No import kind is registered as {name!r}.") from None
