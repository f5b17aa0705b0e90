"""The consolidated annual report as PDF: an HTML template and a print stylesheet (A4, page
numbers "page of pages" in the footer, a table of contents with the page of each section),
rendered by WeasyPrint reading only the DejaVu fonts and the stylesheet."""

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation

from vigil.core.documents import FONT_DIR, html_to_pdf

from ..selectors.report import ReportContent

TEMPLATE = "analytics/report_pdf.html"
STYLESHEET = Path(__file__).resolve().parent / "annual_report.css"


def build_pdf(content: ReportContent) -> bytes:
    with translation.override(content.language):
        html = render_to_string(TEMPLATE, {"doc": content})
    return html_to_pdf(
        html, base_url=str(STYLESHEET.parent), allowed=(FONT_DIR,), stylesheet=STYLESHEET
    )
