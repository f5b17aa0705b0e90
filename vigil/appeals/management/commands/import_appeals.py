"""Import historical appeals from a CSV or XLSX file."""

from vigil.core.importing.command import ImportFileCommand


class Command(ImportFileCommand):
    help = (
        "Import historical appeals from a CSV (UTF-8) or XLSX file, matching rows on "
        "source_id (an id imported before is left as it is). Columns: source_id, received_on, "
        "channel, subject, allegations, urgency, institution, institution_text, region, state, "
        "registered_on, closed_on, summary, content, anonymous, name, contact. Content is "
        "stored encrypted, names and contacts sealed. If any row has an error nothing is "
        "written."
    )
    kind = "appeals"
