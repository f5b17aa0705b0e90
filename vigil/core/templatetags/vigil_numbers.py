"""{{ total|vigil_number }}: a figure grouped in the active language (see vigil.core.numbers)."""

from decimal import Decimal

from django import template

from vigil.core.numbers import Figure, format_number

register = template.Library()


@register.filter
def vigil_number[T](value: T) -> Figure | str | T:
    """Whole numbers come back as a Figure, so the filter can feed `blocktranslate count`;
    anything that is not a number (None, "—") comes back as it is."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return Figure(value)
    if isinstance(value, float | Decimal):
        return format_number(value)
    return value
