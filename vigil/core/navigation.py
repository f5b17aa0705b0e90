"""The main menu, built from the same permission functions the views use."""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vigil.accounts.permissions import can_manage_users
from vigil.audit.permissions import can_view_audit
from vigil.people.permissions import can_list_participants, can_see_my_visits
from vigil.recommendations.permissions import (
    can_use_agency_portal,
    can_view_recommendation_list,
)
from vigil.registry.permissions import can_import_institutions, can_view_registry
from vigil.visits.permissions import can_view_plans


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str
    key: str


def navigation_for(user: Any) -> list[NavItem]:
    if user is None or not user.is_authenticated:
        return []
    items = [NavItem(_("Home"), reverse("core:home"), "home")]
    if can_see_my_visits(user):
        items.append(NavItem(_("My visits"), reverse("visits:mine"), "mine"))
    items.append(NavItem(_("Visits"), reverse("visits:visit_list"), "visit_list"))
    if can_view_plans(user):
        items.append(NavItem(_("Annual plan"), reverse("visits:plan_index"), "plan_detail"))
    if can_use_agency_portal(user):
        items.append(
            NavItem(_("Our recommendations"), reverse("recommendations:portal_list"), "portal_list")
        )
    elif can_view_recommendation_list(user):
        items.append(
            NavItem(_("Recommendations"), reverse("recommendations:list"), "recommendations")
        )
    if can_list_participants(user):
        items.append(NavItem(_("Participants"), reverse("people:participant_list"), "people"))
    if can_view_registry(user):
        items.append(NavItem(_("Institutions"), reverse("registry:institution_list"), "registry"))
    if can_import_institutions(user):
        items.append(NavItem(_("Import"), reverse("registry:import_upload"), "import"))
    if can_view_audit(user):
        items.append(NavItem(_("Audit log"), reverse("audit:event_list"), "audit"))
    if can_manage_users(user):
        items.append(NavItem(_("Users"), reverse("accounts:user_list"), "users"))
    return items
