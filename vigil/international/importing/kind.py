"""The import of UN paragraphs as a kind of the shared pipeline (`vigil.core.importing`): its
hooks, its pages' texts, its template, and the services the command and the tests call.
Registered by `InternationalConfig.ready()`."""

import csv
from functools import partial
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

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
from vigil.core.importing.writing import build_file

from ..permissions import can_manage_international
from .applying import un_write
from .checking import plan_table
from .columns import COLUMN_NOTES, COLUMNS, OPTIONAL_COLUMNS, REQUIRED_COLUMNS

KIND = "un_recommendations"
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "cat-kaz-co4-sample.csv"
"""The eight paragraphs of CAT/C/KAZ/CO/4 with the NGO coalition's grades (synthetic texts)."""
TEMPLATE_ROWS = 3


def import_template(fmt: str) -> bytes:
    """The columns and the first rows of the sample file."""
    with SAMPLE.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = [row for _n, row in zip(range(TEMPLATE_ROWS), reader, strict=False)]
    assert tuple(header) == COLUMNS  # noqa: S101 (the sample is in the import's format)
    return build_file(fmt, rows, list(COLUMNS), "paragraphs")


def _row_cells(row: dict[str, Any]) -> list[PreviewCell]:
    return [
        PreviewCell(row.get("symbol", ""), nowrap=True),
        PreviewCell(row.get("number", ""), nowrap=True),
        PreviewCell(row.get("assessment", "")),
    ]


def _tally(summary: dict[str, Any]) -> Breakdown | None:
    tally = summary.get("tally") or {}
    if not tally:
        return None
    return Breakdown(
        intro=_("What the file adds or changes:"),
        items=(
            (_("New documents"), tally.get("documents_created", 0)),
            (_("Changed documents"), tally.get("documents_updated", 0)),
            (_("New paragraphs"), tally.get("paragraphs_created", 0)),
            (_("Changed paragraphs"), tally.get("paragraphs_updated", 0)),
            (_("New assessments"), tally.get("assessments_created", 0)),
        ),
        testid="import-tally",
    )


UN_RECOMMENDATIONS = ImportKind(
    name=KIND,
    audit_action=AuditAction.UN_DOCUMENTS_IMPORTED,
    may_import=can_manage_international,
    plan=plan_table,
    write=un_write,
    columns=partial(column_guides, REQUIRED_COLUMNS, OPTIONAL_COLUMNS, COLUMN_NOTES),
    template=import_template,
    template_name="vigil-un-paragraphs-template",
    pages=ImportPages(
        namespace="international",
        title=_("Import UN recommendations"),
        intro=_(
            "Upload an export of the Universal Human Rights Index (uhri.ohchr.org) or a file "
            "exported from a UN document here, with assessments if you have them. Documents are "
            "matched on their symbol and paragraphs on their number, and an assessment already "
            "recorded is not added twice, so importing the same file again changes nothing. "
            "Several rows of the same paragraph add several assessments. Nothing is saved until "
            "you confirm; if any row has an error, nothing is imported."
        ),
        columns_note=_(
            "Column names are not case-sensitive and may come in any order; UHRI’s own names "
            "(Document Symbol, Reccomending Body, Document Publication Date, Text) are "
            "understood and its other columns (themes, affected persons, SDGs…) are ignored. "
            "Dates may be written as YYYY-MM-DD or DD.MM.YYYY, or be Excel date cells."
        ),
        list_label=_("UN recommendations"),
        list_url_name="international:document_list",
        row_headers=(_("Document"), _("Paragraph"), _("Assessment")),
        row_cells=_row_cells,
        breakdown=_tally,
    ),
)

# The services the command and the tests call: the pipeline for this kind.
un_import_check = partial(import_check, KIND)
un_import = partial(import_apply, KIND)
