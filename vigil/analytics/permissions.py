"""Who may see which statistics. Default: deny.

- Dashboards: every active account, each over the records it may see (the apps'
  `*_visible_to`): coordinators, administrators and auditors the whole country, regional
  representatives their regions, monitors the visits they were on; an agency liaison only its
  agency's recommendation figures — never visits, coverage, appeals or incidents, which would
  hint at the NPM's plans or at who complained.
- Published figures (the consolidated annual report, open data) count every record
  (`PUBLISHED`); open data then suppresses small counts before anything leaves.
"""

from enum import Enum
from typing import Final, TypeGuard

from django.db.models import QuerySet

from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.appeals.models import AccountabilityRecord, Appeal, CriminalCase, Incident
from vigil.appeals.permissions import (
    can_view_accountability,
    can_view_appeals,
    can_view_funnel,
    can_view_incidents,
    incidents_visible_to,
)
from vigil.appeals.selectors.funnel import FunnelBases
from vigil.recommendations.models import Recommendation
from vigil.recommendations.permissions import (
    can_view_systemic_issues,
    recommendations_visible_to,
)
from vigil.reference.models import Agency, Region
from vigil.reference.selectors import agency_subtree_ids
from vigil.registry.models import Institution
from vigil.registry.permissions import can_see_visit_coverage, institutions_visible_to
from vigil.visits.models import Visit
from vigil.visits.permissions import can_list_visits, visits_visible_to

from .models import AnnualReport


class Published(Enum):
    """The audience of published figures: every record counts."""

    ALL = "published"


PUBLISHED: Final = Published.ALL
type Audience = User | Published | None

SECTIONS = (
    "visits",
    "coverage",
    "recommendations",
    "themes",
    "appeals",
    "funnel",
    "accountability",
    "incidents",
)
"""The dashboard's sections, in the order shown."""


def _active(user: User | None) -> TypeGuard[User]:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _liaison(user: User | None) -> bool:
    return _active(user) and user.role == Role.LIAISON


def can_view_dashboard(user: User | None) -> bool:
    return _active(user) and user.role in Role.values


def dashboard_sections(user: User | None) -> frozenset[str]:
    """The sections of the dashboard the user sees (a liaison: its recommendations only)."""
    if not can_view_dashboard(user):
        return frozenset()
    if _liaison(user):
        return frozenset({"recommendations"})
    allowed = {
        "visits": can_list_visits(user),
        "coverage": can_see_visit_coverage(user),
        "recommendations": True,
        "themes": can_view_systemic_issues(user),
        "appeals": can_view_appeals(user),
        "funnel": can_view_funnel(user),
        "accountability": can_view_accountability(user),
        "incidents": can_view_incidents(user),
    }
    return frozenset(name for name, ok in allowed.items() if ok)


def filter_regions_for(user: User | None) -> QuerySet[Region]:
    """The regions a user may filter the statistics by (a regional representative: its own)."""
    if _active(user) and user.role == Role.REGIONAL:
        return user.regions.order_by("code")
    return Region.objects.order_by("code")


def filter_agencies_for(user: User | None) -> QuerySet[Agency]:
    """The agencies a user may filter by (a liaison: its agency and sub-units)."""
    if _active(user) and user.role == Role.LIAISON:
        return Agency.objects.filter(pk__in=agency_subtree_ids(user.agency)).order_by("code")
    return Agency.objects.order_by("code")


def visits_counted(audience: Audience) -> QuerySet[Visit]:
    if isinstance(audience, Published):
        return Visit.objects.all()
    return visits_visible_to(audience)


def institutions_counted(audience: Audience) -> QuerySet[Institution]:
    if isinstance(audience, Published):
        return Institution.objects.all()
    return institutions_visible_to(audience)


def recommendations_counted(audience: Audience) -> QuerySet[Recommendation]:
    if isinstance(audience, Published):
        return Recommendation.objects.all()
    return recommendations_visible_to(audience)


def funnel_bases(audience: Audience) -> FunnelBases:
    if isinstance(audience, Published):
        return FunnelBases(
            Appeal.objects.all(), CriminalCase.objects.all(), AccountabilityRecord.objects.all()
        )
    return FunnelBases.of(audience)


def incidents_counted(audience: Audience) -> QuerySet[Incident]:
    if isinstance(audience, Published):
        return Incident.objects.all()
    return incidents_visible_to(audience)


# ------------------------------------------------------------------ the annual report
# Coordinators and administrators write the narrative, build and publish the consolidated
# annual report; auditors and regional representatives read it and download its builds (a
# national document: drafts included, so regions can check their figures before it is
# published); monitors and liaisons never see it (404).

_REPORT_MANAGERS = frozenset({Role.ADMIN, Role.COORDINATOR})
_REPORT_READERS = _REPORT_MANAGERS | {Role.AUDITOR, Role.REGIONAL}


def can_read_annual_reports(user: User | None) -> bool:
    return _active(user) and user.role in _REPORT_READERS


def can_manage_annual_reports(user: User | None) -> bool:
    return _active(user) and user.role in _REPORT_MANAGERS


def annual_reports_visible_to(user: User | None) -> QuerySet[AnnualReport]:
    if not can_read_annual_reports(user):
        return AnnualReport.objects.none()
    return AnnualReport.objects.all()


def can_edit_annual_report(user: User | None, report: AnnualReport) -> bool:
    return can_manage_annual_reports(user)


def can_build_annual_report(user: User | None, report: AnnualReport) -> bool:
    return can_manage_annual_reports(user)


def can_download_annual_report(user: User | None, report: AnnualReport) -> bool:
    return can_read_annual_reports(user)


# --- the dashboard page, the coverage list and the statistics API ------------------------------


def can_view_coverage_list(user: User | None) -> bool:
    """The institutions behind the coverage figures (visited, never visited, not visited for
    years): the registry's rule for visit coverage, so never an agency's liaison."""
    return can_see_visit_coverage(user)


def can_view_statistics_api(user: User | None) -> bool:
    """`/api/v1/statistics/`: the dashboard's figures, the sections the caller may see."""
    return can_view_dashboard(user)
