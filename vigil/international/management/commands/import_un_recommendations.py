"""Import UN documents' paragraphs, with assessments, from a CSV or XLSX file (an export of
the Universal Human Rights Index, or of a document in Vigil)."""

from vigil.core.importing.command import ImportFileCommand


class Command(ImportFileCommand):
    help = (
        "Import UN paragraphs (CAT, SPT, UPR...) with their assessments from a CSV (UTF-8) or "
        "XLSX file: an export of the Universal Human Rights Index or of a document in Vigil. "
        "Documents are matched on the symbol, paragraphs on (symbol, paragraph), and an "
        "assessment already recorded is not added again, so importing the same file twice "
        "changes nothing. Columns: docs/international.md. If any row has an error nothing is "
        "written."
    )
    kind = "un_recommendations"
