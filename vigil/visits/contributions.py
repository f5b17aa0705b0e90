"""The visits app's part of the site shell: menu entries, the planners' and "my visits" blocks,
the visits of a participant, and the visits and findings of an institution."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from vigil.core.contributions import (
    HomeBlock,
    MenuEntry,
    PageSection,
    register_home_block,
    register_menu_entry,
    register_page_section,
)
from vigil.people.permissions import can_see_my_visits
from vigil.registry.permissions import can_see_visit_coverage

from .permissions import (
    can_list_visits,
    can_plan_visits,
    can_see_visit_details,
    can_view_plans,
    reads_working_material,
)
from .selectors.places import findings_at_institution, visits_at_institution
from .selectors.visits import my_work, planner_work, visits_of_participant


def planner_home(user: Any) -> Mapping[str, Any] | None:
    return {"planner_work": planner_work(user)} if can_plan_visits(user) else None


def my_work_home(user: Any) -> Mapping[str, Any] | None:
    return {"my_work": my_work(user)} if can_see_my_visits(user) else None


def participant_visits(user: Any, participant: Any) -> Mapping[str, Any]:
    """The visits a participant was on, among those the viewer may see (newest 100)."""
    return {
        "visits": visits_of_participant(user, participant),
        "show_visit_details": can_see_visit_details(user),
    }


def institution_visits(user: Any, institution: Any) -> Mapping[str, Any] | None:
    """The visits made to the institution: never for an agency's liaison, to whom even past
    visits would hint at where the NPM goes (and does not go) next."""
    if not can_see_visit_coverage(user):
        return None
    return {"place_visits": visits_at_institution(user, institution)}


def institution_findings(user: Any, institution: Any) -> Mapping[str, Any] | None:
    """The findings recorded at the institution, for those who read visits' working material."""
    if not (can_see_visit_coverage(user) and reads_working_material(user)):
        return None
    return {"place_findings": findings_at_institution(user, institution)}


def register() -> None:
    register_menu_entry(MenuEntry("mine", _("My visits"), "visits:mine", 10, can_see_my_visits))
    register_menu_entry(
        MenuEntry("visit_list", _("Visits"), "visits:visit_list", 20, can_list_visits)
    )
    register_menu_entry(
        MenuEntry("plan_detail", _("Annual plan"), "visits:plan_index", 30, can_view_plans)
    )
    register_home_block(HomeBlock("planner_work", "visits/_home_planner.html", 10, planner_home))
    register_home_block(HomeBlock("my_work", "visits/_home_my_work.html", 30, my_work_home))
    register_page_section(
        "people.participant",
        PageSection("visits", "visits/_participant_visits.html", 10, participant_visits),
    )
    register_page_section(
        "registry.institution",
        PageSection("visits", "visits/_institution_visits.html", 10, institution_visits),
    )
    register_page_section(
        "registry.institution",
        PageSection("findings", "visits/_institution_findings.html", 20, institution_findings),
    )
