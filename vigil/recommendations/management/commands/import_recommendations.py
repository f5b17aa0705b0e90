"""Import historical recommendations from a CSV or XLSX file (the same checks as the page)."""

from vigil.core.importing.command import ImportFileCommand


class Command(ImportFileCommand):
    help = (
        "Import historical recommendations from a CSV (UTF-8) or XLSX file, matching rows on "
        "external_ref. Columns: external_ref, text, addressee, institution, theme, issued_on, "
        "deadline, status, status_date. If any row has an error nothing is written."
    )
    kind = "recommendations"
