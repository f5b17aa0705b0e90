"""Historical import of recommendations: the recommendations' part of the shared pipeline
(`vigil.core.importing`).

* `columns`: the columns of a file and what each accepts;
* `checking`: `plan_table` validates every row and plans it (create / update / unchanged,
  matched on `external_ref`; status changes must be import moves of the life cycle); it
  writes nothing;
* `applying`: `recommendations_write` writes a checked file with bulk writes and an
  IMPORTED event per recommendation;
* `template`: the downloadable template;
* `kind`: the hooks registered as the kind "recommendations", and
  `recommendations_import_check` / `recommendations_import`, the services the command calls.

Row numbers are the ones the person sees in Excel: the header is row 1.
"""

from .checking import OTHER, RecommendationRow, RecommendationsPlan, plan_table
from .columns import (
    COLUMN_NOTES,
    IMPORT_COLUMNS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    TEMPLATE_COLUMNS,
)
from .kind import RECOMMENDATIONS, recommendations_import, recommendations_import_check
from .template import import_template

__all__ = [
    "COLUMN_NOTES",
    "IMPORT_COLUMNS",
    "OPTIONAL_COLUMNS",
    "OTHER",
    "RECOMMENDATIONS",
    "REQUIRED_COLUMNS",
    "TEMPLATE_COLUMNS",
    "RecommendationRow",
    "RecommendationsPlan",
    "import_template",
    "plan_table",
    "recommendations_import",
    "recommendations_import_check",
]
