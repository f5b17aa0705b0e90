"""The escalation letter as PDF: an HTML template with its print styles, rendered by WeasyPrint.

WeasyPrint reads nothing but the DejaVu fonts (every Kazakh, Russian and Latin letter: ә ғ қ ң
ө ұ ү һ і) from the local font folder; any other URL is refused, so that rendering a letter
never calls out.
"""

from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from .letter import EscalationLetter, response_line

TEMPLATE = "recommendations/letter_pdf.html"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


class _FontsOnly(URLFetcher):
    """Fetches files of the font folder; refuses everything else."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allowed_protocols=("file",), **kwargs)
        self._folder = FONT_DIR.resolve()

    def fetch(self, url: str, headers: Any = None) -> Any:
        if not url.startswith("file:"):
            raise ValueError("Only local fonts are read when rendering a letter.")
        path = Path(url.removeprefix("file://").split("?")[0]).resolve()
        if not path.is_relative_to(self._folder):
            raise ValueError("This file is not one the letter may read.")
        return super().fetch(url, headers)


def build_letter_pdf(letter: EscalationLetter) -> bytes:
    """Render the letter (call inside `translation.override(letter.language)`)."""
    originals = [
        {
            "item": original,
            "answers": [
                {"line": response_line(r, letter.labels), "measures": r.measures}
                for r in original.responses
            ],
        }
        for original in letter.originals
    ]
    html = render_to_string(
        TEMPLATE, {"letter": letter, "originals": originals, "font_dir": FONT_DIR.as_posix()}
    )
    fetcher = _FontsOnly()
    result = HTML(string=html, base_url=FONT_DIR.as_uri(), url_fetcher=fetcher).write_pdf(
        font_config=FontConfiguration()
    )
    assert result is not None  # noqa: S101 (write_pdf without a target returns the bytes)
    return bytes(result)
