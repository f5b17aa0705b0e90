"""The escalation letter as PDF: an HTML template with its print styles, rendered by WeasyPrint.

WeasyPrint reads nothing but the DejaVu fonts (every Kazakh, Russian and Latin letter: ә ғ қ ң
ө ұ ү һ і) from the local font folder; any other URL is refused, so that rendering a letter
never calls out (`vigil.core.documents`).
"""

from django.template.loader import render_to_string

from vigil.core.documents import FONT_DIR, html_to_pdf

from .letter import EscalationLetter, response_line

TEMPLATE = "recommendations/letter_pdf.html"


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
    return html_to_pdf(html, base_url=FONT_DIR.as_uri(), allowed=(FONT_DIR,))
