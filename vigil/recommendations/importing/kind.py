"""The historical import of recommendations as a kind of the shared pipeline
(`vigil.core.importing`): its hooks, its pages' texts, and the services the command and the
tests call. Registered by `RecommendationsConfig.ready()`."""

from functools import partial
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from vigil.audit.enums import AuditAction
from vigil.core.importing import (
    Breakdown,
    ImportKind,
    ImportPages,
    PreviewCell,
    column_guides,
    import_apply,
    import_check,
)

from ..enums import State
from ..permissions import can_import_recommendations
from .applying import recommendations_write
from .checking import plan_table
from .columns import COLUMN_NOTES, OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from .template import import_template

KIND = "recommendations"


def _row_cells(row: dict[str, Any]) -> list[PreviewCell]:
    state = row.get("state")
    label = State(state).label if state in State.values else ""
    badge = render_to_string("recommendations/_state_badge.html", {"state": state, "label": label})
    return [
        PreviewCell(row["external_ref"]),
        PreviewCell(row["addressee"]),
        PreviewCell(row["issued_on"], nowrap=True),
        PreviewCell(badge),
    ]


def _tally(summary: dict[str, Any]) -> Breakdown | None:
    tally = summary.get("tally") or {}
    if not tally:
        return None
    rows_total = summary.get("rows_total", len(summary.get("rows", [])))
    return Breakdown(
        intro=ngettext(
            "The file's %(total)s recommendation by the official tally:",
            "The file's %(total)s recommendations by the official tally:",
            rows_total,
        )
        % {"total": rows_total},
        items=(
            (_("Implemented"), tally.get("implemented", 0)),
            (_("In implementation"), tally.get("in_implementation", 0)),
            (_("Not accepted"), tally.get("not_accepted", 0)),
            (_("Other statuses"), tally.get("other", 0)),
        ),
        testid="import-tally",
    )


RECOMMENDATIONS = ImportKind(
    name=KIND,
    audit_action=AuditAction.RECOMMENDATIONS_IMPORTED,
    may_import=can_import_recommendations,
    plan=plan_table,
    write=recommendations_write,
    columns=partial(column_guides, REQUIRED_COLUMNS, OPTIONAL_COLUMNS, COLUMN_NOTES),
    template=import_template,
    template_name="vigil-recommendations-template",
    pages=ImportPages(
        namespace="recommendations",
        title=_("Import recommendations"),
        intro=_(
            "Upload a spreadsheet of earlier recommendations with their statuses, addressees "
            "and dates. Each row is matched on its external reference: a new reference creates "
            "a recommendation, a known one updates it, so importing the same file again changes "
            "nothing. You will see what would happen, and nothing is saved until you confirm. "
            "If any row has an error, nothing is imported."
        ),
        columns_note=_(
            "Column names are not case-sensitive and may come in any order; other columns are "
            "ignored. Dates may be written as YYYY-MM-DD or DD.MM.YYYY, or be Excel date cells. "
            "The official tally (implemented, in_implementation, not_accepted) may be used as "
            "the status: implemented becomes “Implemented (claimed)”."
        ),
        list_label=_("Recommendations"),
        list_url_name="recommendations:list",
        row_headers=(_("External reference"), _("Addressee"), _("Issued on"), _("Status")),
        row_cells=_row_cells,
        breakdown=_tally,
        applied_link=(_("See the tallies"), "recommendations:tallies"),
        show_max_rows=True,
    ),
)


# The services the command, the tests and the benchmarks call: the pipeline for this kind.
recommendations_import_check = partial(import_check, KIND)
recommendations_import = partial(import_apply, KIND)
