"""Template helpers of appeal pages."""

from typing import Any

from django import template

from vigil.core.transitions import Move

from ..enums import AppealState
from ..models import Appeal
from ..selectors.appeals import due_flag as appeal_due_flag

register = template.Library()


@register.filter
def due_flag(appeal: Appeal) -> str:
    """ "overdue", "due_today" or "" for an appeal still handled."""
    return appeal_due_flag(appeal)


@register.filter
def appeal_state_label(state: str) -> str:
    """The translated label of an appeal state (timeline events keep the code)."""
    try:
        return str(AppealState(state).label)
    except ValueError:
        return state


@register.filter
def needs(move: Move[Any, Any], field: str) -> bool:
    """Whether a life-cycle move asks for `field` (a note, the body forwarded to)."""
    return move.needs(field)
