"""Import historical accountability records from a CSV or XLSX file."""

from vigil.core.importing.command import ImportFileCommand


class Command(ImportFileCommand):
    help = (
        "Import accountability records of officials from a CSV (UTF-8) or XLSX file, matching "
        "rows on source_id. Columns: source_id, decided_on, responsibility, initiative, "
        "position, measure, agency, region, institution. If any row has an error nothing is "
        "written."
    )
    kind = "accountability"
