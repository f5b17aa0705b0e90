"""The follow-up report as PDF: an HTML template and its print stylesheet (A4, page numbers,
a confidential document's marking at the top and bottom of every page), rendered by
WeasyPrint reading only the DejaVu fonts and the stylesheet (`vigil.core.documents`)."""

from pathlib import Path

from django.template.loader import render_to_string

from vigil.core.documents import FONT_DIR, html_to_pdf

from .content import FollowupReport

TEMPLATE = "international/report/followup_pdf.html"
STYLESHEET = Path(__file__).resolve().parent / "followup_report.css"


def build_report_pdf(report: FollowupReport) -> bytes:
    """Lay out the report (its texts are already translated and formatted)."""
    html = render_to_string(TEMPLATE, {"doc": report})
    return html_to_pdf(
        html, base_url=str(STYLESHEET.parent), allowed=(FONT_DIR,), stylesheet=STYLESHEET
    )
