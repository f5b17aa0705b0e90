"""The follow-up report as DOCX (python-docx), laid out from the same content as the PDF: the
same headings, facts, tables and notes in the same order; a confidential document's marking
in the header and footer of every page (`vigil.core.documents`: DejaVu Sans in every style)."""

import io

from docx.document import Document as DocxDocument

from vigil.core.documents import docx_document, docx_facts, docx_marking, docx_table

from .content import FollowupReport, Table


def _table(document: DocxDocument, table: Table) -> None:
    docx_table(document, table.header, table.rows)


def _note(document: DocxDocument, text: str) -> None:
    document.add_paragraph().add_run(text).italic = True


def build_report_docx(report: FollowupReport) -> bytes:
    """Lay out the report (its texts are already translated and formatted)."""
    labels = report.labels
    document = docx_document(size=10)
    properties = document.core_properties
    properties.title = report.heading
    properties.author = report.organisation
    properties.last_modified_by = "Vigil"
    properties.language = report.language
    properties.comments = ""
    if report.marking:
        docx_marking(document, report.marking)
        document.add_paragraph().add_run(report.marking).bold = True

    document.add_paragraph(report.organisation)
    document.add_heading(report.heading, level=0)
    if report.title:
        document.add_paragraph(report.title)

    document.add_heading(labels["document"], level=1)
    docx_facts(document, report.facts)
    for text in report.introduction:
        document.add_paragraph(text)

    document.add_heading(labels["summary"], level=1)
    if report.summary.rows:
        _table(document, report.summary)
        for note in report.notes:
            _note(document, note)
    else:
        _note(document, labels["no_paragraphs"])

    if report.paragraphs:
        document.add_heading(labels["paragraphs"], level=1)
    for item in report.paragraphs:
        document.add_heading(item.heading, level=2)
        for block in item.text:
            document.add_paragraph().add_run(block).italic = True
        if item.text_note:
            _note(document, item.text_note)
        docx_facts(document, item.facts)

        document.add_heading(labels["assessments"], level=3)
        if item.assessments:
            _table(document, item.assessments)
        else:
            _note(document, labels["no_assessment"])
        if item.history:
            document.add_heading(labels["history"], level=3)
            _table(document, item.history)

        document.add_heading(labels["evidence"], level=3)
        _table(document, item.counts)
        if item.evidence_note:
            _note(document, item.evidence_note)
        if item.recommendations:
            document.add_heading(labels["recommendations"], level=4)
            _table(document, item.recommendations)
        if item.findings:
            document.add_heading(labels["findings"], level=4)
            _table(document, item.findings)

    document.add_paragraph(report.generated)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
