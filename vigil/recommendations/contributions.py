"""The recommendations app's part of the site shell: the menu entries (the agency portal for
liaisons; the list and the tallies for the others), the liaison's home block, the NPM's
tallies block, and the recommendations shown on an institution's, a visit's and a finding's
page."""

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
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
from vigil.visits.enums import VisitState

from .permissions import (
    can_issue_for_visit,
    can_use_agency_portal,
    can_view_recommendation_list,
    recommendations_visible_to,
)
from .selectors.context import (
    recommendations_about_institution,
    recommendations_of_finding,
    recommendations_of_visit,
)
from .selectors.core import report_finding
from .selectors.portal import portal_home_summary
from .selectors.tallies import agency_tally

AFTER_REPORT: frozenset[str] = frozenset(
    {
        VisitState.REPORT_APPROVED,
        VisitState.SENT_TO_AUTHORITY,
        VisitState.RESPONSE_RECEIVED,
        VisitState.RESPONSE_OVERDUE,
        VisitState.CLOSED,
    }
)
"""The visit states in which its page always shows its recommendations (even none)."""


def _list_entry(user: Any) -> bool:
    return not can_use_agency_portal(user) and can_view_recommendation_list(user)


def _list_url(user: Any, **params: str) -> str:
    """The viewer's list of recommendations (a liaison's: the agency portal), filtered."""
    name = "recommendations:portal_list" if can_use_agency_portal(user) else "recommendations:list"
    return f"{reverse(name)}?{urlencode(params)}"


def _detail_url_name(user: Any) -> str:
    return (
        "recommendations:portal_detail" if can_use_agency_portal(user) else "recommendations:detail"
    )


def tallies_home(user: Any) -> Mapping[str, Any] | None:
    if not _list_entry(user):
        return None
    return {"tally": agency_tally(user, None)}


def portal_home(user: Any) -> Mapping[str, Any] | None:
    summary = portal_home_summary(user)
    return {"portal": summary} if summary is not None else None


def institution_recommendations(user: Any, institution: Any) -> Mapping[str, Any] | None:
    """The recommendations about the institution, within the viewer's own scope (a liaison:
    those issued to its agency)."""
    if not can_view_recommendation_list(user):
        return None
    return {
        "place_recommendations": recommendations_about_institution(user, institution),
        "place_recommendations_url": _list_url(user, institution=str(institution.public_id)),
        "recommendation_url_name": _detail_url_name(user),
    }


def visit_recommendations(user: Any, visit: Any) -> Mapping[str, Any] | None:
    """The recommendations made after the visit: once its report is approved, or whenever
    there are some the viewer may see."""
    if not can_view_recommendation_list(user):
        return None
    summary = recommendations_of_visit(user, visit)
    if not summary.total and visit.state not in AFTER_REPORT:
        return None
    url = None if can_use_agency_portal(user) else _list_url(user, visit=str(visit.public_id))
    return {
        "visit_recs": summary,
        "visit_recs_url": url,
        "recommendation_url_name": _detail_url_name(user),
    }


def finding_recommendations(user: Any, finding: Any) -> Mapping[str, Any] | None:
    """The recommendations that answer the finding, and (for those who draft the visit's
    recommendations, when the finding is in its report) a draft that starts from it."""
    if not can_view_recommendation_list(user):
        return None
    visit = finding.visit
    may_draft = can_issue_for_visit(user, visit.region_id) and (
        report_finding(visit, finding.public_id) is not None
    )
    return {
        "finding_recs": recommendations_of_finding(user, finding),
        "finding_draft_url": (
            f"{reverse('recommendations:visit_recommendation_create', args=[visit.public_id])}"
            f"?{urlencode({'finding': str(finding.public_id)})}"
            if may_draft
            else None
        ),
        "recommendation_url_name": _detail_url_name(user),
    }


def register() -> None:
    register_menu_entry(
        MenuEntry(
            "portal_list",
            _("Our recommendations"),
            "recommendations:portal_list",
            40,
            can_use_agency_portal,
        )
    )
    register_menu_entry(
        MenuEntry("recommendations", _("Recommendations"), "recommendations:list", 41, _list_entry)
    )
    register_menu_entry(
        MenuEntry("tallies", _("Tallies"), "recommendations:tallies", 42, _list_entry)
    )
    register_home_block(HomeBlock("portal", "recommendations/portal_home.html", 20, portal_home))
    register_home_block(HomeBlock("tallies", "recommendations/tallies_home.html", 21, tallies_home))
    register_page_section(
        "registry.institution",
        PageSection(
            "recommendations",
            "recommendations/_institution_recommendations.html",
            30,
            institution_recommendations,
        ),
    )
    register_page_section(
        "visits.finding",
        PageSection(
            "recommendations",
            "recommendations/_finding_recommendations.html",
            10,
            finding_recommendations,
        ),
    )
    register_page_section(
        "visits.visit",
        PageSection(
            "recommendations",
            "recommendations/_visit_recommendations.html",
            10,
            visit_recommendations,
        ),
    )
    register_target(
        "recommendations.recommendation",
        PublicIdLinks(recommendations_visible_to, "recommendations:detail"),
    )
