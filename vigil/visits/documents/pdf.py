"""The visit report as PDF: an HTML template and print CSS, rendered by WeasyPrint.

WeasyPrint reads nothing but local files here: the print stylesheet and the DejaVu fonts
(which have every Kazakh letter). Any other URL — a link typed into a finding, say — is
refused, so that rendering a report never calls out.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from vigil.core.documents import FONT_DIR, html_to_pdf

from ..selectors.reports import ReportDocument

TEMPLATE = "visits/report_pdf.html"
STYLESHEET = "vigil/report.css"
FONT_DIRS = (FONT_DIR,)


def _stylesheet_path() -> Path:
    found = finders.find(STYLESHEET)
    if isinstance(found, list | tuple):
        found = found[0] if found else None
    if found:
        return Path(found)
    return Path(settings.BASE_DIR) / "vigil" / "static" / STYLESHEET


def build_pdf(document: ReportDocument) -> bytes:
    """Render the report (call inside `translation.override` of the report's language)."""
    stylesheet = _stylesheet_path()
    html = render_to_string(TEMPLATE, {"doc": document})
    return html_to_pdf(
        html, base_url=str(stylesheet.parent), allowed=FONT_DIRS, stylesheet=stylesheet
    )
