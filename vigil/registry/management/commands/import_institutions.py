"""Import institutions from a CSV or XLSX file (the same checks as the upload page)."""

from vigil.core.importing.command import ImportFileCommand


class Command(ImportFileCommand):
    help = (
        "Import institutions from a CSV (UTF-8) or XLSX file, matching rows on external_code. "
        "If any row has an error nothing is written."
    )
    kind = "institutions"
