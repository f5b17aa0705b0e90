"""Reads of visit reports, and the content of the report documents (PDF, DOCX).

`report_document()` is the one place that decides what a report shows to the authorities:
the visit's identity, the team (names and professions), the selected findings by theme,
the narrative and the annexes. It never reads interview content or identities: the annex
counts interviews by category, and an interview whose consent was withdrawn is neither
counted nor mentioned. Internal notes are never read here.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.functional import Promise

from vigil.accounts.models import User
from vigil.core.models import localized_name

from ..enums import IntervieweeCategory, ReportState, Severity, VisitState
from ..models import (
    AccessIncident,
    Finding,
    Interview,
    ReportTransition,
    TeamMember,
    Visit,
    VisitReport,
)
from ..permissions import (
    can_review_reports,
    working_material_visible_to,
    writes_working_material,
)
from .findings import EvidenceSummary, evidence_summary, group_by_theme, with_details

SEVERITY_ORDER = {value: rank for rank, value in enumerate(Severity.values)}


def reports_visible_to(user: User | None) -> QuerySet[VisitReport]:
    return VisitReport.objects.filter(visit__in=working_material_visible_to(user)).select_related(
        "visit", "approved_by", "created_by"
    )


def report_of(visit: Visit) -> VisitReport | None:
    return (
        VisitReport.objects.filter(visit=visit)
        .select_related("visit", "approved_by", "created_by")
        .first()
    )


def selected_findings(report: VisitReport) -> list[Finding]:
    """The report's findings, by theme, then from the most to the least severe."""
    findings = list(with_details(report.findings.all()))
    findings.sort(key=lambda f: (f.theme, SEVERITY_ORDER.get(f.severity, 99), f.pk))
    return findings


def report_timeline(report: VisitReport) -> list[ReportTransition]:
    return list(report.transitions.select_related("actor"))


@dataclass(frozen=True)
class InstitutionLine:
    name: str
    type_name: str
    address: str
    region: str


@dataclass(frozen=True)
class TeamLine:
    name: str
    profession: str | Promise
    is_lead: bool


@dataclass(frozen=True)
class FindingLine:
    finding: Finding
    institution: str
    evidence: EvidenceSummary


@dataclass(frozen=True)
class ThemeSection:
    theme: str
    label: str | Promise
    lines: list[FindingLine]


@dataclass(frozen=True)
class CountLine:
    code: str
    label: str | Promise
    count: int


@dataclass
class ReportDocument:
    """Everything a report document shows, in the report's language."""

    report: VisitReport
    visit: Visit
    language: str
    institutions: list[InstitutionLine]
    start: datetime.date | None
    end: datetime.date | None
    team: list[TeamLine]
    themes: list[ThemeSection]
    incidents: list[AccessIncident]
    interview_counts: list[CountLine]
    generated_at: datetime.datetime = field(default_factory=timezone.now)

    @property
    def is_approved(self) -> bool:
        return self.report.state == ReportState.APPROVED

    @property
    def finding_count(self) -> int:
        return sum(len(section.lines) for section in self.themes)

    @property
    def interview_total(self) -> int:
        return sum(line.count for line in self.interview_counts)


def interview_counts(visit: Visit) -> list[CountLine]:
    """Interviews by category, only those whose consent has not been withdrawn. Reads no
    content, no pseudonym and no identity."""
    rows = dict(
        Interview.objects.filter(visit=visit, consent_withdrawn_on__isnull=True)
        .order_by()
        .values("category")
        .annotate(n=Count("id"))
        .values_list("category", "n")
    )
    return [
        CountLine(code=category.value, label=category.label, count=rows[category.value])
        for category in IntervieweeCategory
        if rows.get(category.value)
    ]


def _local_date(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment is not None else None


def report_document(report: VisitReport) -> ReportDocument:
    """The content of the report's PDF and DOCX. Call inside `translation.override` of the
    report's language, so that every label reads in that language."""
    visit = (
        Visit.objects.select_related("region", "plan")
        .prefetch_related("institutions__type", "institutions__region")
        .get(pk=report.visit_id)
    )
    language = report.language
    institutions = [
        InstitutionLine(
            name=localized_name(inst, language),
            type_name=localized_name(inst.type, language),
            address=inst.address,
            region=localized_name(inst.region, language),
        )
        for inst in sorted(visit.institutions.all(), key=lambda i: i.pk)
    ]
    team = [
        TeamLine(
            name=m.participant.user.full_name or m.participant.user.email,
            profession=m.participant.get_profession_display(),
            is_lead=m.is_lead,
        )
        for m in TeamMember.objects.filter(visit=visit).select_related("participant__user")
    ]
    themes = [
        ThemeSection(
            theme=group.theme,
            label=group.label,
            lines=[
                FindingLine(
                    finding=f,
                    institution=localized_name(f.institution, language),
                    evidence=evidence_summary(f),
                )
                for f in group.findings
            ],
        )
        for group in group_by_theme(selected_findings(report))
    ]
    incidents = list(
        AccessIncident.objects.filter(visit=visit)
        .select_related("institution")
        .order_by("occurred_at", "id")
    )
    return ReportDocument(
        report=report,
        visit=visit,
        language=language,
        institutions=institutions,
        start=_local_date(visit.started_at) or visit.planned_start,
        end=_local_date(visit.ended_at) or visit.planned_end,
        team=team,
        themes=themes,
        incidents=incidents,
        interview_counts=interview_counts(visit),
    )


# ---------------------------------------------------------------- what is due


def visits_awaiting_report(user: User) -> QuerySet[Visit]:
    """Visits whose report is still to be started or drafted, among those the user writes
    working material for (the team; planners in scope): "reports to draft" on home pages."""
    if not writes_working_material(user):
        return Visit.objects.none()
    return (
        working_material_visible_to(user)
        .filter(state__in=(VisitState.DEBRIEFED, VisitState.REPORT_DRAFT))
        .select_related("region")
        .order_by("ended_at", "id")
    )


def reports_awaiting_review(user: User) -> QuerySet[VisitReport]:
    """Reports submitted for review, for those who approve them (coordinators)."""
    if not can_review_reports(user):
        return VisitReport.objects.none()
    return reports_visible_to(user).filter(state=ReportState.REVIEW).order_by("updated_at", "id")
