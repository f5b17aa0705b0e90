"""Import institutions from a CSV or XLSX file (the same checks as the upload page)."""

from vigil.registry.importing import (
    ImportValidationError,
    institutions_import,
    institutions_import_check,
)
from vigil.registry.importing.command import ImportFileCommand
from vigil.registry.permissions import can_import_institutions


class Command(ImportFileCommand):
    help = (
        "Import institutions from a CSV (UTF-8) or XLSX file, matching rows on external_code. "
        "If any row has an error nothing is written."
    )
    check_file = staticmethod(institutions_import_check)
    apply_file = staticmethod(institutions_import)
    may_import = staticmethod(can_import_institutions)
    validation_error = ImportValidationError
