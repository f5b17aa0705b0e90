"""The visit report as PDF: an HTML template and print CSS, rendered by WeasyPrint.

WeasyPrint reads nothing but local files here: the print stylesheet and the DejaVu fonts
(which have every Kazakh letter). Any other URL — a link typed into a finding, say — is
refused, so that rendering a report never calls out.
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from ..selectors.reports import ReportDocument

TEMPLATE = "visits/report_pdf.html"
STYLESHEET = "vigil/report.css"
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"),)


def _stylesheet_path() -> Path:
    found = finders.find(STYLESHEET)
    if isinstance(found, list | tuple):
        found = found[0] if found else None
    if found:
        return Path(found)
    return Path(settings.BASE_DIR) / "vigil" / "static" / STYLESHEET


class LocalFilesOnly(URLFetcher):
    """Fetches `file:` URLs below the allowed folders; refuses everything else."""

    def __init__(self, allowed: tuple[Path, ...], **kwargs: Any) -> None:
        super().__init__(allowed_protocols=("file",), **kwargs)
        self._allowed = tuple(p.resolve() for p in allowed)

    def fetch(self, url: str, headers: Any = None) -> Any:
        if not url.startswith("file:"):
            raise ValueError("Only local files are read when rendering a report.")
        path = Path(url.removeprefix("file://").split("?")[0]).resolve()
        if not any(path.is_relative_to(folder) for folder in self._allowed):
            raise ValueError("This file is not one the report may read.")
        return super().fetch(url, headers)


def build_pdf(document: ReportDocument) -> bytes:
    """Render the report (call inside `translation.override` of the report's language)."""
    stylesheet = _stylesheet_path()
    fetcher = LocalFilesOnly((stylesheet.parent, *FONT_DIRS))
    html = render_to_string(TEMPLATE, {"doc": document})
    fonts = FontConfiguration()
    css = CSS(filename=str(stylesheet), font_config=fonts, url_fetcher=fetcher)
    result = HTML(string=html, base_url=str(stylesheet.parent), url_fetcher=fetcher).write_pdf(
        stylesheets=[css], font_config=fonts
    )
    return bytes(result or b"")
