"""Template helpers for visit pages: the state badge and the header's permission-aware parts.

`_visit_header.html` is included by every section page with only `visit` (and `request`) in
the context, so what it may show is decided here, through the permission policy.
"""

from typing import Any

from django import template

from vigil.registry.models import Institution
from vigil.registry.permissions import institutions_visible_to

from ..enums import VisitState
from ..models import TeamMember, Visit
from ..permissions import can_view_visit_details

register = template.Library()

S = VisitState
_BADGES = {
    S.DRAFT: "text-bg-light border",
    S.PLANNED: "text-bg-info",
    S.PREPARED: "text-bg-info",
    S.ON_SITE: "text-bg-primary",
    S.DEBRIEFED: "text-bg-primary",
    S.REPORT_DRAFT: "text-bg-warning",
    S.REPORT_REVIEW: "text-bg-warning",
    S.REPORT_APPROVED: "text-bg-success",
    S.SENT_TO_AUTHORITY: "text-bg-success",
    S.RESPONSE_RECEIVED: "text-bg-success",
    S.RESPONSE_OVERDUE: "text-bg-danger",
    S.CLOSED: "text-bg-dark",
    S.CANCELLED: "text-bg-secondary",
    S.POSTPONED: "text-bg-secondary",
}


@register.filter
def visit_state_badge(state: str) -> str:
    """The badge classes of a visit state: the same colour everywhere, always with its text."""
    return _BADGES.get(state, "text-bg-light border")  # type: ignore[call-overload]


@register.simple_tag(takes_context=True)
def visit_details_visible(context: Any, visit: Visit) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    return can_view_visit_details(user, visit)


@register.simple_tag
def visit_team_members(visit: Visit) -> list[TeamMember]:
    return list(visit.team.select_related("participant__user"))


@register.simple_tag(takes_context=True)
def visit_institutions_shown(context: Any, visit: Visit) -> list[Institution]:
    """The visit's institutions that the user may see in the registry (an agency liaison:
    those of its agency subtree only)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return list(
        visit.institutions.filter(pk__in=institutions_visible_to(user).values("pk")).order_by("pk")
    )
