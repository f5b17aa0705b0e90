"""The 461 visits made in 2023: 422 planned, 33 special, 2 follow-up, 2 thematic and 2 joint,
covering exactly 474 institutions, each with its team, its history up to closed, one finding
per institution and its approved report. Written by the visits' bulk path."""

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass

from vigil.registry.models import Institution
from vigil.visits.enums import ReportState, Severity, TriggerKind, VisitState, VisitType
from vigil.visits.history import new_report_transition, new_visit_transition
from vigil.visits.models import Finding, TeamMember, Visit, VisitReport
from vigil.visits.services.bulk import VisitRows, visits_bulk_create
from vigil.visits.workflow import MIN_TEAM

from ..registry import DemoDataError
from ..visits import texts
from ..visits.plan import at_time, new_uuid, stamp
from .world import PublishedWorld

YEAR = 2023
# Visits that are not follow-ups, by type; the follow-ups go back to planned visits.
FIRST_VISITS: dict[str, int] = {
    VisitType.PLANNED: 422,
    VisitType.SPECIAL: 33,
    VisitType.THEMATIC: 2,
    VisitType.JOINT: 2,
}
FOLLOW_UPS = 2
S = VisitState
PATH = (  # (state, days after the last day on site, hour); planned and prepared come before
    (S.ON_SITE, 0, 9),
    (S.DEBRIEFED, 0, 16),
    (S.REPORT_DRAFT, 3, 11),
    (S.REPORT_REVIEW, 10, 11),
    (S.REPORT_APPROVED, 14, 12),
    (S.SENT_TO_AUTHORITY, 16, 10),
    (S.RESPONSE_RECEIVED, 40, 10),
    (S.CLOSED, 55, 15),
)


@dataclass
class PublishedVisit:
    visit: Visit
    institutions: list[Institution]
    findings: dict[int, Finding]  # by institution pk
    sent_on: datetime.date  # the report went to the authority: its recommendations' issue day
    language: str  # of the visit's records (kk, ru; en for a joint visit)


def _groups(
    rng: random.Random, institutions: list[Institution], count: int
) -> list[list[Institution]]:
    """Split the institutions into `count` groups: pairs of the same region and category where
    there are more institutions than visits, singles otherwise."""
    pairs_needed = len(institutions) - count
    buckets: dict[tuple[int, str], list[Institution]] = defaultdict(list)
    for institution in institutions:
        buckets[(institution.region_id, institution.type.category)].append(institution)
    groups: list[list[Institution]] = []
    for key in sorted(buckets):
        bucket = buckets[key]
        while pairs_needed and len(bucket) >= 2:
            groups.append([bucket.pop(), bucket.pop()])
            pairs_needed -= 1
    if pairs_needed:
        raise DemoDataError("Too few institutions in one region and category to pair.")
    groups += [[i] for key in sorted(buckets) for i in buckets[key]]
    rng.shuffle(groups)
    return groups


def _weekdays(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    days = (first + datetime.timedelta(days=n) for n in range((last - first).days + 1))
    return [day for day in days if day.weekday() < 5]


def _visit(
    world: PublishedWorld,
    rng: random.Random,
    number: int,
    kind: str,
    institutions: list[Institution],
    start: datetime.date,
    rows: VisitRows,
) -> PublishedVisit:
    language = "en" if kind == VisitType.JOINT else rng.choice(("kk", "ru"))
    end = start + datetime.timedelta(days=rng.choice((0, 0, 0, 1)))
    visit = Visit(
        public_id=new_uuid(rng),
        reference=f"{YEAR}-{number:04d}",
        type=kind,
        announced=kind == VisitType.JOINT,
        state=S.CLOSED,
        title=texts.TITLES[kind][language],
        objectives=texts.OBJECTIVES[kind][language],
        region_id=institutions[0].region_id,
        planned_start=start,
        planned_end=end if end != start else None,
        theme="T5" if kind == VisitType.THEMATIC else "",
        created_by_id=world.coordinator.pk,
    )
    if kind == VisitType.SPECIAL:
        visit.trigger_kind = rng.choice(
            (TriggerKind.APPEAL, TriggerKind.INCIDENT, TriggerKind.MEDIA_REPORT)
        )
        visit.trigger_details = texts.TRIGGERS[visit.trigger_kind][language]
        if visit.trigger_kind == TriggerKind.APPEAL:
            visit.trigger_reference = f"A-{YEAR}-{rng.randint(1, 1600):04d}"
    team = rng.sample(world.participants, rng.choice((MIN_TEAM, MIN_TEAM, MIN_TEAM + 1)))
    lead = team[0]
    # The history: planned (a month before; a special visit days before), prepared, then on
    # site and through the report to closed.
    lead_in = 3 if kind == VisitType.SPECIAL else 30
    created = at_time(start - datetime.timedelta(days=lead_in), 9)
    steps = [
        (S.PLANNED, created + datetime.timedelta(hours=2), world.coordinator),
        (S.PREPARED, at_time(start - datetime.timedelta(days=1), 15), lead.user),
    ]
    on_lead = {S.ON_SITE, S.DEBRIEFED, S.REPORT_DRAFT, S.REPORT_REVIEW}
    for state, days, hour in PATH:
        day = (start if state == S.ON_SITE else end) + datetime.timedelta(days=days)
        actor = lead.user if state in on_lead else world.coordinator
        steps.append((state, at_time(day, hour, rng.randint(0, 50)), actor))
    at = dict((state, when) for state, when, _actor in steps)
    visit.started_at, visit.ended_at = at[S.ON_SITE], at[S.DEBRIEFED]
    stamp(visit, created, at[S.CLOSED])
    rows.visits.append(visit)
    rows.visit_institutions.extend((visit, i) for i in institutions)
    for member in team:
        row = TeamMember(visit=visit, participant_id=member.pk, is_lead=member is lead)
        stamp(row, created)
        rows.team.append(row)
    source: str = S.DRAFT
    for state, when, actor in steps:
        rows.transitions.append(
            new_visit_transition(visit, source, state, actor=actor, occurred_at=when)
        )
        source = state
    for institution in institutions:
        day = start
        if rows.last_visits.get(institution.pk, datetime.date.min) < day:
            rows.last_visits[institution.pk] = day
    findings = {
        i.pk: _finding(rng, visit, i, language, lead.user_id, at[S.DEBRIEFED]) for i in institutions
    }
    rows.findings.extend(findings.values())
    report = VisitReport(
        visit=visit,
        language=language,
        state=ReportState.APPROVED,
        introduction=texts.REPORT_INTRODUCTION[language].format(
            institution=getattr(institutions[0], f"name_{language}"),
            date=start.strftime("%d.%m.%Y"),
            n=len(team),
        ),
        conclusion=texts.REPORT_CONCLUSION[language],
        approved_by_id=world.coordinator.pk,
        approved_at=at[S.REPORT_APPROVED],
        created_by_id=lead.user_id,
    )
    stamp(report, at[S.REPORT_DRAFT], at[S.REPORT_APPROVED])
    rows.reports.append(report)
    rows.report_findings.extend((report, f) for f in findings.values())
    rows.report_transitions += [
        new_report_transition(
            report, ReportState.DRAFT, ReportState.REVIEW, actor=lead.user,
            occurred_at=at[S.REPORT_REVIEW],
        ),
        new_report_transition(
            report, ReportState.REVIEW, ReportState.APPROVED, actor=world.coordinator,
            occurred_at=at[S.REPORT_APPROVED],
        ),
    ]  # fmt: skip
    return PublishedVisit(visit, institutions, findings, at[S.SENT_TO_AUTHORITY].date(), language)


def _finding(
    rng: random.Random,
    visit: Visit,
    institution: Institution,
    language: str,
    author_id: int,
    at: datetime.datetime,
) -> Finding:
    category = institution.type.category
    patterns = [
        (theme, pattern)
        for theme, options in sorted(texts.FINDINGS.items())
        for pattern in options
        if pattern.get("categories") is None or category in pattern["categories"]
    ]
    theme, pattern = rng.choice(patterns)
    finding = Finding(
        visit=visit,
        institution=institution,
        theme=theme,
        severity=rng.choice(pattern["severities"]) or Severity.MODERATE,
        title=pattern["title"][language],
        description=pattern["text"][language],
        evidence_kinds=["observation", "interview"],
        standard_references=pattern.get("refs", ""),
        root_cause=pattern.get("root", ""),
        created_by_id=author_id,
    )
    stamp(finding, at)
    return finding


def _joint_visits_in_one_region(
    plans: list[tuple[datetime.date, str, list[Institution]]],
) -> None:
    """The two joint visits (with the UN Subcommittee's delegation, which travels together) go
    to the same region: the second takes the institutions of a visit in the first's region."""
    joint = [n for n, plan in enumerate(plans) if plan[1] == VisitType.JOINT]
    first, second = joint[0], joint[1]
    region = plans[first][2][0].region_id
    size = len(plans[second][2])
    for n, (start, kind, group) in enumerate(plans):
        if kind == VisitType.PLANNED and group[0].region_id == region and len(group) == size:
            plans[n] = (start, kind, plans[second][2])
            plans[second] = (plans[second][0], VisitType.JOINT, group)
            return


def published_visits(world: PublishedWorld, rng: random.Random) -> list[PublishedVisit]:
    """Write the 2023 visits (every institution of the world visited once, a few twice)."""
    kinds = [kind for kind, count in FIRST_VISITS.items() for _ in range(count)]
    groups = _groups(rng, world.institutions, len(kinds))
    rng.shuffle(kinds)
    days = _weekdays(datetime.date(YEAR, 1, 9), datetime.date(YEAR, 11, 24))
    starts = [days[n * len(days) // len(kinds)] for n in range(len(kinds))]
    plans = list(zip(starts, kinds, groups, strict=True))
    _joint_visits_in_one_region(plans)
    # Follow-ups: three months after a planned visit of the first half of the year.
    early = [p for p in plans if p[1] == VisitType.PLANNED and p[0].month <= 6]
    for start, _kind, group in rng.sample(early, FOLLOW_UPS):
        plans.append((start + datetime.timedelta(days=91), VisitType.FOLLOW_UP, group))
    plans.sort(key=lambda p: (p[0], p[1], p[2][0].external_code or ""))
    rows = VisitRows()
    made: list[PublishedVisit] = []
    earlier: dict[int, str] = {}  # first institution pk → reference of its first visit
    for number, (start, kind, group) in enumerate(plans, start=1):
        made.append(_visit(world, rng, number, kind, group, start, rows))
        if kind == VisitType.FOLLOW_UP:
            rows.follow_ups.append((made[-1].visit, earlier[group[0].pk]))
        else:
            earlier[group[0].pk] = made[-1].visit.reference
    visits_bulk_create(rows, audit_data={"demo_data": "published_figures"})
    return made
