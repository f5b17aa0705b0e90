"""Registry import: one home for reading, checking and applying institution files.

The upload page and the `import_institutions` command both go through here:

* `reading`: a CSV/XLSX upload (type, size, encoding) into a table of rows;
* `checking`: `institutions_import_check` validates every row and plans what would happen
  to each one (create / update / unchanged); it writes nothing;
* `applying`: `institutions_import` applies a file in one transaction through
  `institutions_bulk_write` (each created or changed institution audited) and writes one
  summary audit event; on any error nothing is written. `import_batch_create` /
  `import_batch_apply` keep an uploaded file between its preview and its confirmation.

Row numbers are the ones the person sees in Excel: the header is row 1.
"""

from .applying import (
    ImportBatchClosedError,
    ImportResult,
    ImportValidationError,
    import_batch_apply,
    import_batch_create,
    institutions_import,
)
from .checking import (
    CREATE,
    UNCHANGED,
    UPDATE,
    ImportIssue,
    ImportPlan,
    institutions_import_check,
)
from .columns import (
    IMPORT_COLUMNS,
    OPTIONAL_COLUMNS,
    REFERENCE_COLUMNS,
    REQUIRED_COLUMNS,
    neutralize,
)
from .reading import ImportFileError, read_import_file, size_error

__all__ = [
    "CREATE",
    "IMPORT_COLUMNS",
    "OPTIONAL_COLUMNS",
    "REFERENCE_COLUMNS",
    "REQUIRED_COLUMNS",
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
    "institutions_import",
    "institutions_import_check",
    "neutralize",
    "read_import_file",
    "size_error",
]
