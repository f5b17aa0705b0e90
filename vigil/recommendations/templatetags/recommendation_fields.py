"""Which names a page may show, from the permission policy (`hidden_fields`):
`{% if user|sees_assessors %}` and `{% if event.actor|named_to:user %}`."""

from typing import Any

from django import template

from ..permissions import can_see_actor, can_see_assessor

register = template.Library()


@register.filter
def sees_assessors(user: Any) -> bool:
    """Whether the page names who assessed an authority's claim."""
    return can_see_assessor(user)


@register.filter
def named_to(actor: Any, user: Any) -> bool:
    """Whether the page names `actor` (who made a move in the history) to `user`."""
    return can_see_actor(user, actor)
