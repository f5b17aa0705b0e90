"""Import historical criminal cases (art. 146) from a CSV or XLSX file."""

from vigil.core.importing.command import ImportFileCommand


class Command(ImportFileCommand):
    help = (
        "Import historical art. 146 criminal cases from a CSV (UTF-8) or XLSX file, matching "
        "rows on source_id. Columns: source_id, reported_on, part, state, investigating_body, "
        "region, institution, info_book_entry_on, register_number, registered_on, "
        "termination_ground, terminated_on, sent_to_court_on, verdict_on. If any row has an "
        "error nothing is written."
    )
    kind = "criminal_cases"
