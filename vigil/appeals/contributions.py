"""What the appeals app adds to the menu, the home page and other apps' pages."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigil.audit.links import PublicIdLinks, register_target
from vigil.core.contributions import (
    HomeBlock,
    MenuEntry,
    PageSection,
    RowBadges,
    register_home_block,
    register_menu_entry,
    register_page_section,
    register_row_badges,
)
from vigil.visits.permissions import interviews_visible_to

from .models import CriminalCase, FollowUpContact
from .permissions import (
    appeals_visible_to,
    can_manage_case,
    can_record_incident,
    can_record_incident_for_appeal,
    can_refer,
    can_register_appeal,
    can_register_appeal_from_visit,
    can_schedule_follow_ups,
    can_view_accountability,
    can_view_appeals,
    can_view_cases,
    can_view_follow_ups,
    can_view_funnel,
    can_view_incidents,
    can_view_referrals,
    cases_visible_to,
    follow_ups_visible_to,
    incidents_visible_to,
    referrals_visible_to,
)
from .selectors.alerts import flagged_institution_ids, institution_alert
from .selectors.appeals import appeal_counts, visit_appeals
from .selectors.incidents import (
    IncidentFilters,
    incident_counts,
    incident_rows,
    incidents_of_appeal,
    incidents_of_visit,
)
from .services.follow_ups import AT_RISK

CASEWORK = _("Appeals and cases")
"""The main menu's drop-down of the app's pages."""

# --- appeal handling -------------------------------------------------------------------------


def appeals_home(user: Any) -> Mapping[str, Any] | None:
    """Appeals due today, overdue and assigned to me: for those who register and handle
    appeals (coordinators, regional representatives)."""
    if not can_register_appeal(user):
        return None
    return {"appeal_counts": appeal_counts(user)}


def visit_appeals_section(user: Any, visit: Any) -> Mapping[str, Any] | None:
    """The appeals registered from the visit, and the way to register one."""
    if not can_view_appeals(user):
        return None
    may_register = can_register_appeal_from_visit(user, visit)
    appeals = list(visit_appeals(user, visit)[:50])
    if not appeals and not may_register:
        return None
    return {"visit_appeals": appeals, "visit_appeal_register": may_register}


def register_handling() -> None:
    register_menu_entry(
        MenuEntry("appeals", _("Appeals"), "appeals:list", 50, can_view_appeals, CASEWORK)
    )
    register_home_block(HomeBlock("appeals", "appeals/_home_appeals.html", 25, appeals_home))
    register_page_section(
        "visits.visit",
        PageSection("appeals", "appeals/_visit_appeals.html", 20, visit_appeals_section),
    )
    register_target("appeals.appeal", PublicIdLinks(appeals_visible_to, "appeals:detail"))


# --- incidents, reprisal follow-ups, feeding visits, the funnel ------------------------------


def visit_incidents(user: Any, visit: Any) -> Mapping[str, Any] | None:
    """The incidents of a visit (its access incidents among them) and, for its team and
    planners, the way to record one."""

    if not can_view_incidents(user):
        return None
    may_record = can_record_incident(user, visit)
    return {
        "visit_incidents": incidents_of_visit(user, visit),
        "visit_incident_url": reverse("appeals:incident_create_for_visit", args=[visit.public_id])
        if may_record
        else None,
    }


def appeal_incidents(user: Any, appeal: Any) -> Mapping[str, Any] | None:
    """The incidents about an appeal and its open follow-up contacts."""

    if not can_view_incidents(user):
        return None
    return {
        "appeal_incidents": incidents_of_appeal(user, appeal),
        "appeal_follow_ups": follow_ups_visible_to(user)
        .filter(appeal=appeal, done_on__isnull=True)
        .count(),
        "appeal_follow_up_schedule_url": reverse(
            "appeals:follow_up_schedule_for_appeal", args=[appeal.public_id]
        )
        if appeal.reprisal_risk in AT_RISK
        and can_schedule_follow_ups(user)
        and not FollowUpContact.objects.filter(appeal=appeal).exists()
        else None,
        "appeal_incident_url": reverse(
            "appeals:incident_create_for_appeal", args=[appeal.public_id]
        )
        if can_record_incident_for_appeal(user, appeal)
        else None,
    }


def institution_incidents(user: Any, institution: Any) -> Mapping[str, Any] | None:
    """How many incidents happened at the institution (both sources), with the list behind."""
    if not can_view_incidents(user):
        return None
    rows = incident_rows(user, IncidentFilters(institution=institution))
    return {
        "place_incidents": incident_counts(rows),
        "place_incidents_total": len(rows),
        "place_incidents_url": f"{reverse('appeals:incident_list')}?institution={institution.public_id}",
    }


def institution_alert_section(user: Any, institution: Any) -> Mapping[str, Any] | None:
    """The flag of recent ill-treatment appeals or incidents, with a special visit per
    trigger in one click for those who plan visits."""

    alert = institution_alert(user, institution)
    if alert is None or not alert.flagged:
        return None
    return {"institution_alert": alert}


def institution_flags(user: Any, rows: Sequence[Any]) -> Mapping[Any, Sequence[Any]]:
    """A "flagged" badge on the registry rows with recent ill-treatment appeals or incidents."""
    flagged = flagged_institution_ids(user, [row.pk for row in rows])
    return {pk: [_("Flagged: ill-treatment")] for pk in flagged}


def follow_ups_home(user: Any) -> Mapping[str, Any] | None:
    """Follow-up contacts due (monitors, regional representatives, coordinators)."""

    if not can_schedule_follow_ups(user):
        return None
    today = timezone.localdate()
    open_due = follow_ups_visible_to(user).filter(done_on__isnull=True, due_on__lte=today)
    due = open_due.count()
    if not due:
        return None
    return {"follow_ups_due": due, "follow_ups_overdue": open_due.filter(due_on__lt=today).count()}


def _incidents_entry(user: Any) -> bool:

    return can_view_incidents(user)


def _funnel_entry(user: Any) -> bool:

    return can_view_funnel(user)


def _register_incidents() -> None:

    register_menu_entry(
        MenuEntry(
            "incidents", _("Incidents"), "appeals:incident_list", 55, _incidents_entry, CASEWORK
        )
    )
    register_menu_entry(
        MenuEntry("appeals_funnel", _("Funnel"), "appeals:funnel", 58, _funnel_entry, CASEWORK)
    )
    register_menu_entry(
        MenuEntry(
            "follow_ups",
            _("Follow-up contacts"),
            "appeals:follow_up_list",
            57,
            can_view_follow_ups,
            CASEWORK,
        )
    )
    register_home_block(
        HomeBlock("follow_ups_due", "appeals/incidents/_follow_ups_home.html", 15, follow_ups_home)
    )
    register_page_section(
        "visits.visit",
        PageSection("incidents", "appeals/incidents/_visit_incidents.html", 20, visit_incidents),
    )
    register_page_section(
        "appeal_detail",
        PageSection("incidents", "appeals/incidents/_appeal_incidents.html", 30, appeal_incidents),
    )
    register_page_section(
        "registry.institution",
        PageSection(
            "appeals_alert",
            "appeals/incidents/_institution_alert.html",
            5,
            institution_alert_section,
        ),
    )
    register_page_section(
        "registry.institution",
        PageSection(
            "appeals_incidents",
            "appeals/incidents/_institution_incidents.html",
            40,
            institution_incidents,
        ),
    )
    register_row_badges("registry.institutions", RowBadges("appeals_flag", 10, institution_flags))
    register_target(
        "appeals.incident", PublicIdLinks(incidents_visible_to, "appeals:incident_detail")
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
        MenuEntry(
            "referrals", _("Referrals"), "appeals:referral_list", 52, can_view_referrals, CASEWORK
        )
    )
    register_menu_entry(
        MenuEntry("cases", _("Criminal cases"), "appeals:case_list", 53, can_view_cases, CASEWORK)
    )
    register_menu_entry(
        MenuEntry(
            "accountability",
            _("Accountability"),
            "appeals:accountability_list",
            54,
            can_view_accountability,
            CASEWORK,
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
    register_handling()
    register_cases()
    _register_incidents()
