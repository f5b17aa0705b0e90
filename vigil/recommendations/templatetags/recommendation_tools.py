"""`{% recommendation_tools user as tools %}`: the recommendation pages a user may open besides
the list (escalations due, systemic issues, the historical import), from the permission
policy, for the list page's header."""

from dataclasses import dataclass
from typing import Any

from django import template
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..permissions import (
    can_import_recommendations,
    can_view_escalation_queue,
    can_view_systemic_issues,
)

register = template.Library()


@dataclass(frozen=True)
class Tool:
    label: str | Promise
    url: str
    key: str


@register.simple_tag
def recommendation_tools(user: Any) -> list[Tool]:
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    tools: list[Tool] = []
    if can_view_escalation_queue(user):
        tools.append(
            Tool(_("Escalations due"), reverse("recommendations:escalation_candidates"), "escalate")
        )
    if can_view_systemic_issues(user):
        tools.append(Tool(_("Systemic issues"), reverse("recommendations:systemic"), "systemic"))
    if can_import_recommendations(user):
        tools.append(Tool(_("Import"), reverse("recommendations:import_upload"), "import"))
    return tools
