"""Numbers as each language writes them: "35 000" in kk and ru, "35,000" in en.

One policy for pages, PDFs, DOCX and e-mails. Grouping is applied to figures only, never
globally (USE_THOUSAND_SEPARATOR would group years and ids in URLs and inputs too).
"""

from django.utils.formats import get_format
from django.utils.numberformat import format as django_number_format


def format_number(value: int | float | None, decimal_pos: int | None = None) -> str:
    """`value` with the active language's thousands separator and decimal mark."""
    if value is None:
        return ""
    return django_number_format(
        value,
        str(get_format("DECIMAL_SEPARATOR")),
        decimal_pos=decimal_pos,
        grouping=get_format("NUMBER_GROUPING"),
        thousand_sep=str(get_format("THOUSAND_SEPARATOR")),
        force_grouping=True,
    )
