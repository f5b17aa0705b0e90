"""{{ total|vigil_number }}: a figure grouped in the active language (see vigil.core.numbers)."""

from decimal import Decimal

from django import template

from vigil.core.numbers import Figure, format_number

register = template.Library()


@register.filter
def vigil_number(value: int | float | Decimal | str | None) -> Figure | str:
    """Whole numbers come back as a Figure, so the filter can feed `blocktranslate count`."""
    if isinstance(value, bool) or value is None or value == "":
        return "" if value is None else str(value)
    if isinstance(value, int):
        return Figure(value)
    if isinstance(value, float | Decimal):
        return format_number(value)
    return value
