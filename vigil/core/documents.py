"""HTML → PDF with WeasyPrint, reading local files only: the one plumbing of every printed
document (visit reports, escalation letters, letters to appellants).

WeasyPrint reads nothing but files below the folders it is given (the DejaVu fonts, which
have every Kazakh, Russian and Latin letter: ә ғ қ ң ө ұ ү һ і; a print stylesheet); any
other URL — a link typed into a text, say — is refused, so that rendering never calls out.
"""

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
"""The DejaVu fonts (Debian's fonts-dejavu-core)."""


class LocalFilesOnly(URLFetcher):
    """Fetches `file:` URLs below the allowed folders; refuses everything else."""

    def __init__(self, allowed: Iterable[Path], **kwargs: Any) -> None:
        super().__init__(allowed_protocols=("file",), **kwargs)
        self._allowed = tuple(Path(p).resolve() for p in allowed)

    def fetch(self, url: str, headers: Any = None) -> Any:
        if not url.startswith("file:"):
            raise ValueError("Only local files are read when rendering a document.")
        path = Path(url.removeprefix("file://").split("?")[0]).resolve()
        if not any(path.is_relative_to(folder) for folder in self._allowed):
            raise ValueError("This file is not one the document may read.")
        return super().fetch(url, headers)


def html_to_pdf(
    html: str,
    *,
    base_url: str,
    allowed: Iterable[Path] = (FONT_DIR,),
    stylesheet: Path | None = None,
) -> bytes:
    """The PDF of `html` (and of `stylesheet`, a local CSS file), reading only files below
    `allowed` (the stylesheet's folder is added)."""
    folders = [*allowed, *((stylesheet.parent,) if stylesheet is not None else ())]
    fetcher = LocalFilesOnly(folders)
    fonts = FontConfiguration()
    stylesheets = (
        [CSS(filename=str(stylesheet), font_config=fonts, url_fetcher=fetcher)]
        if stylesheet is not None
        else []
    )
    result = HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(
        stylesheets=stylesheets, font_config=fonts
    )
    return bytes(result or b"")
