"""The visit report as documents for the authorities: PDF (WeasyPrint) and DOCX (python-docx).

Both are built from one `ReportDocument` (`vigil.visits.selectors.reports.report_document`),
which decides what a report may contain.
"""

from .pdf import build_pdf
from .word import build_docx

__all__ = ["build_docx", "build_pdf"]
