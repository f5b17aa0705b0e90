"""The follow-up report of a UN document, in kk, ru or en, as PDF (WeasyPrint) and DOCX
(python-docx). Both lay out one `FollowupReport` (`content.followup_report`), which decides
what the report says for its reader; `export.followup_report_export` builds, audits and
names the file.
"""

from .content import FollowupReport, ParagraphSection, Table, followup_report
from .export import REPORT_LANGUAGES, ExportedReport, followup_report_export
from .pdf import build_report_pdf
from .word import build_report_docx

__all__ = [
    "REPORT_LANGUAGES",
    "ExportedReport",
    "FollowupReport",
    "ParagraphSection",
    "Table",
    "build_report_docx",
    "build_report_pdf",
    "followup_report",
    "followup_report_export",
]
