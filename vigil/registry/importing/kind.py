"""The institutions import as a kind of the shared pipeline (`vigil.core.importing`): its
hooks, its pages' texts, and the services the command, the pages and the benchmarks call.
Registered by `RegistryConfig.ready()`."""

from functools import partial
from typing import Any

from django.utils.translation import gettext_lazy as _

from vigil.audit.enums import AuditAction
from vigil.core.importing import (
    ImportKind,
    ImportPages,
    PreviewCell,
    column_guides,
    import_apply,
    import_check,
)

from ..permissions import can_import_institutions
from .applying import institutions_write
from .checking import plan_table
from .columns import COLUMN_NOTES, OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from .template import import_template

KIND = "institutions"


def _row_cells(row: dict[str, Any]) -> list[PreviewCell]:
    return [PreviewCell(row["external_code"]), PreviewCell(row["name"])]


INSTITUTIONS = ImportKind(
    name=KIND,
    audit_action=AuditAction.INSTITUTIONS_IMPORTED,
    may_import=can_import_institutions,
    plan=plan_table,
    write=institutions_write,
    columns=partial(column_guides, REQUIRED_COLUMNS, OPTIONAL_COLUMNS, COLUMN_NOTES),
    template=import_template,
    template_name="vigil-institutions-template",
    pages=ImportPages(
        namespace="registry",
        title=_("Import institutions"),
        intro=_(
            "Upload a spreadsheet of institutions. Each row is matched on its external code: "
            "a new code creates an institution, a known code updates it. You will see what "
            "would change, and nothing is saved until you confirm. If any row has an error, "
            "nothing is imported."
        ),
        columns_note=_(
            "Column names are not case-sensitive; other columns are ignored. An exported file "
            "can be imported again as it is."
        ),
        list_label=_("Institutions"),
        list_url_name="registry:institution_list",
        done_url_name="registry:institution_list",
        row_headers=(_("External code"), _("Name")),
        row_cells=_row_cells,
    ),
)


# The services the command, the tests and the benchmarks call: the pipeline for this kind.
institutions_import_check = partial(import_check, KIND)
institutions_import = partial(import_apply, KIND)
