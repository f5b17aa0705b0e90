"""The import pipeline shared by every kind of import (institutions, recommendations, ...).

* `reading`: a CSV/XLSX upload (type, size, encoding, separators, row limit) into a table;
* `plan`: what a check finds: a plan per row (create / update / unchanged), errors and
  warnings by Excel row and column, header checks, cell helpers;
* `kinds`: the hooks a domain app registers for its kind (check, write, who may, columns,
  template, page texts) — `register_import_kind` from its `AppConfig.ready()`;
* `services`: check → keep for preview → apply once, all rows or nothing, audited;
* `command`: the base of the `import_<things>` commands; `views`: the upload, template and
  preview pages, mounted by the owning app with `import_urlpatterns(kind)`;
* `writing`: formula-safe CSV/XLSX files (templates and exports).
"""

from .kinds import (
    Breakdown,
    ColumnGuide,
    ImportKind,
    ImportPages,
    PreviewCell,
    column_guides,
    import_kind,
    register_import_kind,
)
from .plan import (
    CREATE,
    LOOKUP_CHUNK,
    UNCHANGED,
    UPDATE,
    CellError,
    ImportIssue,
    ImportPlan,
    RowPlan,
    cell_text,
    issues_by_column,
    locate_columns,
    row_cells,
)
from .reading import ImportFileError, ImportTable, is_blank, read_import_file, size_error
from .services import (
    ImportBatchClosedError,
    ImportResult,
    ImportValidationError,
    import_apply,
    import_batch_apply,
    import_batch_create,
    import_check,
)

__all__ = [
    "CREATE",
    "LOOKUP_CHUNK",
    "UNCHANGED",
    "UPDATE",
    "Breakdown",
    "CellError",
    "ColumnGuide",
    "ImportBatchClosedError",
    "ImportFileError",
    "ImportIssue",
    "ImportKind",
    "ImportPages",
    "ImportPlan",
    "ImportResult",
    "ImportTable",
    "ImportValidationError",
    "PreviewCell",
    "RowPlan",
    "cell_text",
    "column_guides",
    "import_apply",
    "import_batch_apply",
    "import_batch_create",
    "import_check",
    "import_kind",
    "is_blank",
    "issues_by_column",
    "locate_columns",
    "read_import_file",
    "register_import_kind",
    "row_cells",
    "size_error",
]
