"""The escalation letter as DOCX (python-docx), with the same content as the PDF.

Every style uses DejaVu Sans (Kazakh, Russian and Latin letters), also for the complex-script
and East-Asian slots, so that Word never falls back to a font without ә, қ, ң, ө, ұ, ү, і.
"""

import io

from docx.document import Document as DocxDocument
from docx.shared import RGBColor

from vigil.core.documents import docx_document, docx_facts, docx_paragraphs

from .letter import EscalationLetter, response_line

FONT = "DejaVu Sans"
_STYLES = ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Table Grid")
_ACCENT = RGBColor(0x12, 0x3A, 0x57)


def _labelled(document: DocxDocument, label: str, value: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(value)


def build_letter_docx(letter: EscalationLetter) -> bytes:
    """Render the letter (call inside `translation.override(letter.language)`)."""
    labels = letter.labels
    document = docx_document(size=11)
    properties = document.core_properties
    properties.title = f"{letter.title} {letter.reference}"
    properties.author = letter.organisation
    properties.last_modified_by = "Vigil"
    properties.language = letter.language
    properties.comments = ""

    head = document.add_paragraph()
    org = head.add_run(letter.organisation)
    org.bold = True
    org.font.color.rgb = _ACCENT
    document.add_paragraph(letter.mechanism)
    _labelled(document, labels["reference"], letter.reference)
    _labelled(document, labels["date"], letter.date)
    _labelled(document, labels["to"], letter.addressee)

    document.add_heading(letter.title, level=1)
    subject = document.add_paragraph()
    subject.add_run(f"{labels['subject']}: {letter.subject}").italic = True
    document.add_paragraph(letter.introduction)

    document.add_heading(labels["originals"], level=2)
    for original in letter.originals:
        document.add_heading(original.reference, level=3)
        rows = [
            (labels["issued_on"], original.issued_on),
            (labels["addressee"], original.addressee),
        ]
        if original.institution:
            rows.append((labels["institution"], original.institution))
        rows += [
            (labels["action"], original.text),
            (labels["deadline"], original.deadline),
            (labels["status"], original.status),
        ]
        if original.reasons:
            rows.append((labels["why"], "; ".join(original.reasons)))
        answers = [
            response_line(r, labels) + (f"\n{r.measures}" if r.measures else "")
            for r in original.responses
        ]
        rows.append((labels["answers"], "\n\n".join(answers) or labels["no_answer"]))
        docx_facts(document, rows)

    document.add_heading(letter.request_heading, level=2)
    docx_paragraphs(document, letter.request)
    if letter.indicator:
        _labelled(document, labels["indicator"], letter.indicator)
    _labelled(document, labels["level"], letter.level)
    document.add_paragraph(letter.closing)

    document.add_paragraph()
    document.add_paragraph().add_run(letter.signatory_title).bold = True
    if letter.signatory_name:
        document.add_paragraph(letter.signatory_name)
    document.add_paragraph("_" * 30 + "\n" + labels["signature"])

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
