"""The institutions import: the registry's part of the shared pipeline (`vigil.core.importing`).

* `columns`: the columns of a file and what each accepts;
* `checking`: `plan_table` validates every row and plans what would happen to each one
  (create / update / unchanged); it writes nothing;
* `applying`: `institutions_write` writes a checked file through `institutions_bulk_write`
  (each created or changed institution audited);
* `kind`: the hooks registered as the kind "institutions", and `institutions_import_check` /
  `institutions_import`, the services the command, the pages and the benchmarks call.

Row numbers are the ones the person sees in Excel: the header is row 1.
"""

from .checking import InstitutionRow, plan_table
from .columns import IMPORT_COLUMNS, OPTIONAL_COLUMNS, REFERENCE_COLUMNS, REQUIRED_COLUMNS
from .kind import INSTITUTIONS, institutions_import, institutions_import_check

__all__ = [
    "IMPORT_COLUMNS",
    "INSTITUTIONS",
    "OPTIONAL_COLUMNS",
    "REFERENCE_COLUMNS",
    "REQUIRED_COLUMNS",
    "InstitutionRow",
    "institutions_import",
    "institutions_import_check",
    "plan_table",
]
