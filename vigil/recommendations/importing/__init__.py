"""Historical import of recommendations: one home for reading, checking and applying files.

The upload page and the `import_recommendations` command both go through here:

* `reading`: a CSV/XLSX upload into a table, with the registry import's readers (CSV BOM,
  semicolons, Excel's "sep=" line, XLSX first sheet, size and zip-bomb checks);
* `checking`: `recommendations_import_check` validates every row and plans it (create /
  update / unchanged, matched on `external_ref`); it writes nothing;
* `applying`: `recommendations_import` applies a file in one transaction with bulk writes, an
  IMPORTED event per recommendation and one summary audit event; on any error nothing is
  written. `import_batch_create` / `import_batch_apply` keep an upload between its preview and
  its confirmation.

Row numbers are the ones the person sees in Excel: the header is row 1.
"""

from vigil.registry.importing import ImportIssue
from vigil.registry.importing.reading import ImportFileError, size_error

from .applying import (
    ImportBatchClosedError,
    ImportResult,
    ImportValidationError,
    import_batch_apply,
    import_batch_create,
    recommendations_import,
)
from .checking import (
    CREATE,
    OTHER,
    UNCHANGED,
    UPDATE,
    ImportPlan,
    plan_table,
    recommendations_import_check,
)
from .columns import (
    COLUMN_NOTES,
    IMPORT_COLUMNS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    TEMPLATE_COLUMNS,
)
from .reading import read_recommendation_file
from .template import import_template

__all__ = [
    "COLUMN_NOTES",
    "CREATE",
    "IMPORT_COLUMNS",
    "OPTIONAL_COLUMNS",
    "OTHER",
    "REQUIRED_COLUMNS",
    "TEMPLATE_COLUMNS",
    "UNCHANGED",
    "UPDATE",
    "ImportBatchClosedError",
    "ImportFileError",
    "ImportIssue",
    "ImportPlan",
    "ImportResult",
    "ImportValidationError",
    "import_batch_apply",
    "import_batch_create",
    "import_template",
    "plan_table",
    "read_recommendation_file",
    "recommendations_import",
    "recommendations_import_check",
    "size_error",
]
