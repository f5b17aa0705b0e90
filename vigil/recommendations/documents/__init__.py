"""The escalation letter as documents: PDF (WeasyPrint) and DOCX (python-docx), in kk, ru or en.

Both are built from one `EscalationLetter` (`letter.escalation_letter`), which decides what the
letter says; call them inside `translation.override(<language>)`.
"""

from .letter import EscalationLetter, LetterOriginal, LetterResponse, escalation_letter
from .pdf import build_letter_pdf
from .word import build_letter_docx

__all__ = [
    "EscalationLetter",
    "LetterOriginal",
    "LetterResponse",
    "build_letter_docx",
    "build_letter_pdf",
    "escalation_letter",
]
