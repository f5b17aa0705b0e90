"""HTML → PDF with WeasyPrint, reading local files only, and the start of every Word file: the
one plumbing of every printed document (visit reports, escalation letters, letters to
appellants, referral letters, the UN follow-up report): the two formats and their content
types, a date as documents print it, Word tables and text split into paragraphs, a marking
("Confidential") in the header and footer of every page of a Word file.

WeasyPrint reads nothing but files below the folders it is given (the DejaVu fonts, which
have every Kazakh, Russian and Latin letter: ә ғ қ ң ө ұ ү һ і; a print stylesheet); any
other URL — a link typed into a text, say — is refused, so that rendering never calls out.
"""

import datetime
from collections.abc import Iterable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.utils import formats
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher


class DocumentFormat(StrEnum):
    """The formats of a printed document."""

    PDF = "pdf"
    DOCX = "docx"


CONTENT_TYPES: dict[str, str] = {
    DocumentFormat.PDF: "application/pdf",
    DocumentFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def document_date(value: datetime.date | None, fmt: str = "j E Y") -> str:
    """A date as documents print it in the active language ("10 May 2024"); "—" for none."""
    return formats.date_format(value, fmt) if value else "—"


def text_blocks(text: str) -> tuple[str, ...]:
    """Plain text split into paragraphs at empty lines (single line breaks kept)."""
    blocks = (b.strip() for b in (text or "").replace("\r\n", "\n").split("\n\n"))
    return tuple(b for b in blocks if b)


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


DOCX_FONT = "DejaVu Sans"
DOCX_STYLES = ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "Table Grid")
DOCX_ACCENT = RGBColor(0x12, 0x3A, 0x57)


def docx_document(*, size: int = 10) -> DocxDocument:
    """A new Word document whose styles use DejaVu Sans (every Kazakh letter), headings in the
    accent colour, body text in `size` points: the start of every DOCX the platform writes."""
    document = Document()
    for name in DOCX_STYLES:
        try:
            style = document.styles[name]
        except KeyError:
            continue
        font = style.font  # type: ignore[attr-defined]
        font.name = DOCX_FONT
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(slot), DOCX_FONT)
        if name != "Normal":
            font.color.rgb = DOCX_ACCENT
    document.styles["Normal"].font.size = Pt(size)  # type: ignore[attr-defined]
    return document


def docx_facts(document: DocxDocument, rows: Iterable[tuple[str, str]]) -> None:
    """A two-column table of labelled facts (label in bold), then an empty paragraph."""
    table = document.add_table(rows=0, cols=2)
    table.style = document.styles["Table Grid"]
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text = ""
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].text = value
    document.add_paragraph()


def docx_paragraphs(document: DocxDocument, text: str) -> None:
    """Plain text as Word paragraphs, one per block between empty lines."""
    for block in text_blocks(text):
        document.add_paragraph(block)


def docx_table(
    document: DocxDocument, header: Sequence[str] | None, rows: Sequence[Sequence[str]]
) -> None:
    """A grid table: a bold header row (when given), the rows, then an empty paragraph."""
    table = document.add_table(rows=0, cols=len(rows[0]) if rows else len(header or []))
    table.style = document.styles["Table Grid"]
    if header:
        cells = table.add_row().cells
        for cell, text in zip(cells, header, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    document.add_paragraph()


def docx_marking(document: DocxDocument, text: str) -> None:
    """`text` (e.g. "Confidential") in bold in the header and the footer of every page."""
    for section in document.sections:
        for part in (section.header, section.footer):
            paragraph = part.paragraphs[0] if part.paragraphs else part.add_paragraph()
            paragraph.text = ""
            run = paragraph.add_run(text)
            run.bold = True
            run.font.color.rgb = DOCX_ACCENT
