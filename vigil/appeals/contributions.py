"""What the appeals app adds to the menu, the home page and other apps' pages."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from vigil.audit.links import PublicIdLinks, register_target
from vigil.core.contributions import (
    MenuEntry,
    PageSection,
    register_menu_entry,
    register_page_section,
)
from vigil.visits.permissions import interviews_visible_to

from .models import CriminalCase
from .permissions import (
    can_manage_case,
    can_refer,
    can_view_accountability,
    can_view_cases,
    can_view_referrals,
    cases_visible_to,
    referrals_visible_to,
)

# --- referrals, criminal cases, accountability ----------------------------------------------


def appeal_referrals_and_cases(user: Any, appeal: Any) -> Mapping[str, Any] | None:
    """The "appeal_detail" section: the appeal's referrals and cases the viewer sees, and the
    links to refer it or to record a case from it."""
    if not can_view_referrals(user):
        return None
    return {
        "section_appeal": appeal,
        "section_referrals": list(
            referrals_visible_to(user).filter(appeal=appeal).order_by("sent_on", "pk")
        ),
        "section_cases": list(
            cases_visible_to(user).filter(appeal=appeal).order_by("reported_on", "pk")
        ),
        "section_can_refer": can_refer(user, appeal=appeal),
        # a case recorded from the appeal takes its region
        "section_can_record_case": can_manage_case(user)
        and can_manage_case(user, CriminalCase(region_id=appeal.region_id)),
    }


def visit_interview_referrals(user: Any, visit: Any) -> Mapping[str, Any] | None:
    """The "visits.visit" section: referrals made from the visit's interviews, and a link to
    refer each interview that alleges ill-treatment (for who may refer from the visit)."""
    if not can_view_referrals(user):
        return None
    referrals = list(
        referrals_visible_to(user)
        .filter(interview__visit=visit)
        .select_related("interview")
        .order_by("sent_on", "pk")
    )
    referable = (
        list(interviews_visible_to(user).filter(visit=visit, alleges_ill_treatment=True))
        if can_refer(user, visit=visit)
        else []
    )
    if not referrals and not referable:
        return None
    return {"interview_referrals": referrals, "interview_referable": referable}


def register_cases() -> None:
    register_menu_entry(
        MenuEntry("referrals", _("Referrals"), "appeals:referral_list", 52, can_view_referrals)
    )
    register_menu_entry(
        MenuEntry("cases", _("Criminal cases"), "appeals:case_list", 53, can_view_cases)
    )
    register_menu_entry(
        MenuEntry(
            "accountability",
            _("Accountability"),
            "appeals:accountability_list",
            54,
            can_view_accountability,
        )
    )
    register_page_section(
        "appeal_detail",
        PageSection(
            "referrals_and_cases",
            "appeals/referrals/_appeal_section.html",
            30,
            appeal_referrals_and_cases,
        ),
    )
    register_page_section(
        "visits.visit",
        PageSection(
            "interview_referrals",
            "appeals/referrals/_visit_section.html",
            40,
            visit_interview_referrals,
        ),
    )
    register_target(
        "appeals.referral", PublicIdLinks(referrals_visible_to, "appeals:referral_detail")
    )
    register_target("appeals.criminalcase", PublicIdLinks(cases_visible_to, "appeals:case_detail"))


def register() -> None:
    """Register the app's menu entries, home blocks and page sections."""
    register_cases()
