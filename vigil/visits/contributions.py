"""The visits app's part of the site shell: menu entries, the planners' and "my visits" blocks,
the visits of a participant, and the visits and findings of an institution."""

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from vigil.audit.links import PublicIdLinks, register_target
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

from .models import AnnualPlan, VisitReport
from .permissions import (
    can_list_visits,
    can_plan_visits,
    can_see_visit_details,
    can_view_plans,
    findings_visible_to,
    interviews_visible_to,
    reads_working_material,
    visit_fields_hidden_from,
    visits_visible_to,
    working_material_visible_to,
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


def reports_visible_to(user: Any) -> QuerySet[VisitReport]:
    """The reports whose page `user` may open (the audit log links them)."""
    return VisitReport.objects.filter(visit__in=working_material_visible_to(user))


def plans_visible_to(user: Any) -> QuerySet[AnnualPlan]:
    return AnnualPlan.objects.all() if can_view_plans(user) else AnnualPlan.objects.none()


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
    register_target(
        "visits.visit",
        PublicIdLinks(visits_visible_to, "visits:visit_detail"),
        visit_fields_hidden_from,
    )
    register_target(
        "visits.interview", PublicIdLinks(interviews_visible_to, "visits:interview_detail")
    )
    register_target("visits.finding", PublicIdLinks(findings_visible_to, "visits:finding_detail"))
    register_target(
        "visits.visitreport", PublicIdLinks(reports_visible_to, "visits:report", "visit__public_id")
    )
    register_target(
        "visits.annualplan", PublicIdLinks(plans_visible_to, "visits:plan_detail", "year")
    )
