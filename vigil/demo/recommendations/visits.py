"""The visits the demo recommendations come from: visits whose approved report went to the
authority, with the findings of that report that call for action (good practice does not)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Min
from django.utils import timezone

from vigil.visits.enums import ReportState, Severity, VisitState
from vigil.visits.models import VisitReport, VisitTransition

RECENT_DAYS = 45  # a recommendation still waiting for an answer came with a recent report


@dataclass(frozen=True)
class ReportFinding:
    pk: int
    theme: str
    institution_id: int


@dataclass(frozen=True)
class VisitSource:
    visit_id: int
    sent_on: datetime.date  # the day the report went to the authority: the recommendations'
    language: str  # the report's
    findings: tuple[ReportFinding, ...]


@dataclass
class YearSources:
    """A year's visit sources, and those of them sent in the last weeks before today."""

    all: list[VisitSource]
    recent: list[VisitSource]


def visit_sources(today: datetime.date) -> dict[int, YearSources]:
    """The visits to draw recommendations from, by year of sending, in a fixed order."""
    sending = VisitTransition.objects.filter(to_state=VisitState.SENT_TO_AUTHORITY)
    sent = dict(sending.values_list("visit_id").annotate(first=Min("occurred_at")).order_by())
    approved = VisitReport.objects.filter(
        state=ReportState.APPROVED, visit_id__in=sending.values("visit_id")
    )
    reports = dict(approved.values_list("visit_id", "language").order_by())
    findings: dict[int, list[ReportFinding]] = defaultdict(list)
    through = VisitReport.findings.through
    rows = (
        through.objects.filter(visitreport__in=approved)
        .exclude(finding__severity=Severity.GOOD_PRACTICE)
        .values_list(
            "visitreport__visit_id", "finding_id", "finding__theme", "finding__institution_id"
        )
        .order_by("finding_id")
    )
    for visit_id, pk, theme, institution_id in rows:
        findings[visit_id].append(ReportFinding(pk, theme, institution_id))
    by_year: dict[int, YearSources] = {}
    for visit_id in sorted(reports):
        sent_on = timezone.localdate(sent[visit_id])
        if visit_id not in findings or sent_on >= today:
            continue
        source = VisitSource(visit_id, sent_on, reports[visit_id], tuple(findings[visit_id]))
        year = by_year.setdefault(sent_on.year, YearSources([], []))
        year.all.append(source)
        if (today - sent_on).days <= RECENT_DAYS:
            year.recent.append(source)
    return by_year
