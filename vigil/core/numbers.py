"""One way to show figures: grouped by the active language's thousands separator ("35 000" in kk
and ru, with a non-breaking space; "35,000" in en), on pages, in PDFs, DOCX files and e-mails.

USE_THOUSAND_SEPARATOR stays off: it would also group years, ids and numbers in URLs."""

from decimal import Decimal

from django.utils.formats import number_format


class Figure(int):
    """A whole number that shows itself grouped. It stays an int, so plural rules still work on
    it: `{% blocktranslate count counter=total|vigil_number %}` picks the plural form from the
    number and prints "35 000"."""

    def __str__(self) -> str:
        return number_format(int(self), force_grouping=True)

    def __html__(self) -> str:
        return str(self)


def format_number(value: int | float | Decimal | None) -> str:
    """A figure as text in the active language ("" for None)."""
    if value is None:
        return ""
    if isinstance(value, int):
        return str(Figure(value))
    return number_format(value, force_grouping=True)
