"""The consolidated annual report as DOCX (python-docx), with the same sections, tables and
figures as the PDF: a title page, a table-of-contents field (Word fills it on opening, from
the Heading 1 and Heading 2 styles), then every section."""

import io

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

from vigil.core.documents import docx_document

from ..selectors.report import ReportContent, Table

_AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults",
    "footnotePr",
    "endnotePr",
    "compat",
    "docVars",
    "rsids",
    "mathPr",
    "attachedSchema",
    "themeFontLang",
    "clrSchemeMapping",
    "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures",
    "forceUpgrade",
    "captions",
    "readModeInkLockDown",
    "smartTagType",
    "schemaLibrary",
    "shapeDefaults",
    "doNotEmbedSmartTags",
    "decimalSymbol",
    "listSeparator",
)
"""The elements of `w:settings` that come after `w:updateFields` (ECMA-376, CT_Settings)."""


def _toc_field(document: DocxDocument) -> None:
    """A TOC field over heading levels 1–2, marked dirty so that Word updates it on opening."""
    paragraph = document.add_paragraph()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = 'TOC \\o "1-2" \\h \\z \\u'
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    placeholder = OxmlElement("w:t")
    placeholder.text = _("Update the field to show the table of contents.")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run = paragraph.add_run()._r
    for element in (begin, instruction, separate, placeholder, end):
        run.append(element)
    # Word asks to update the fields on opening; the element goes where the schema puts it.
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    later = {qn(f"w:{name}") for name in _AFTER_UPDATE_FIELDS}
    following = next((child for child in settings if child.tag in later), None)
    if following is None:
        settings.append(update)
    else:
        following.addprevious(update)


def _table(document: DocxDocument, table: Table) -> None:
    document.add_heading(table.title, level=2)
    if not table.rows:
        document.add_paragraph(_("None in the year."))
    else:
        grid = document.add_table(rows=0, cols=len(table.header))
        grid.style = document.styles["Table Grid"]
        cells = grid.add_row().cells
        for cell, text in zip(cells, table.header, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(text).bold = True
        for row in table.rows:
            cells = grid.add_row().cells
            for index, (cell, text) in enumerate(zip(cells, row, strict=True)):
                cell.text = text
                if index in table.numeric:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if table.note:
        document.add_paragraph(table.note)


def build_docx(content: ReportContent) -> bytes:
    with translation.override(content.language):
        document = docx_document(size=10)
        properties = document.core_properties
        properties.title = content.title
        properties.author = _("National Preventive Mechanism")
        properties.last_modified_by = "Vigil"
        properties.language = content.language
        properties.comments = ""

        document.add_paragraph(_("National Preventive Mechanism"))
        document.add_heading(content.title, level=0)
        year = document.add_paragraph(str(content.year))
        year.runs[0].add_break(WD_BREAK.PAGE)

        document.add_paragraph(_("Contents")).runs[0].bold = True
        _toc_field(document)
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

        for section in content.sections:
            document.add_heading(section.title, level=1)
            for paragraph in section.paragraphs:
                document.add_paragraph(paragraph)
            for table in section.tables:
                _table(document, table)
            for chart in section.charts:
                document.add_picture(io.BytesIO(chart.png()), width=Cm(15))
            for note in section.notes:
                document.add_paragraph(note)

        document.add_paragraph(
            _("Produced by Vigil on %(time)s")
            % {
                "time": formats.date_format(
                    timezone.localtime(content.generated_at), "SHORT_DATETIME_FORMAT"
                )
            }
        )
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()
