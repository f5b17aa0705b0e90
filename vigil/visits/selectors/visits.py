"""Reads of visits and plans, already filtered for the user (`visits_visible_to`), so that
an agency liaison never meets a visit that has not started — in a list, a count or a search."""

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.functions import ExtractMonth
from django.http import Http404
from django.utils import timezone

from vigil.accounts.models import User
from vigil.core.collation import sort_key
from vigil.core.reveal import visible_or_404
from vigil.core.search import normalize
from vigil.people.models import Participant
from vigil.people.selectors import accreditation_candidates, eligibility_by_participant
from vigil.reference.models import Region
from vigil.registry.models import Institution

from ..enums import NOT_STARTED_STATES, VisitState
from ..models import (
    AnnualPlan,
    ChecklistQuestion,
    ChecklistResponse,
    Interview,
    TeamMember,
    Visit,
    VisitTransition,
)
from ..permissions import visits_visible_to

MONTHS = range(1, 13)


def visit_or_404(visible: QuerySet[Visit], user: User, public_id: Any) -> Visit:
    """The visit among `visible`; 404 alike when missing or not visible, and a hidden one
    (a liaison probing a planned visit's page) logged as a denied opening
    (`vigil.core.reveal.visible_or_404`)."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise Http404 from None
    return visible_or_404(visible, actor=user, public_id=key)


def visit_for(user: User, public_id: Any) -> Visit:
    """Fetch and authorize in one: 404 both when missing and when not visible."""
    return visit_or_404(
        visits_visible_to(user).select_related("plan", "region", "follow_up_of", "created_by"),
        user,
        public_id,
    )


def visit_team(visit: Visit) -> list[TeamMember]:
    return list(visit.team.select_related("participant__user", "participant__region"))


def visit_history(visit: Visit) -> QuerySet[VisitTransition]:
    return visit.transitions.select_related("actor").order_by("occurred_at", "id")


def visit_institutions(visit: Visit) -> QuerySet[Institution]:
    return visit.institutions.select_related("region", "type", "agency").order_by("pk")


# ---------------------------------------------------------------- listing


@dataclass
class PlanOverview:
    year: int
    plan: AnnualPlan | None
    total: int
    by_state: list[tuple[str, str, int]]
    regions: list[Region]
    rows: list[dict[str, Any]]  # one per region: {"region", "months": [n × 12], "total"}
    month_totals: list[int]


def plan_overview(user: User, year: int) -> PlanOverview:
    """Counts of the year's visits visible to the user, by region and month of start."""
    visits = visits_visible_to(user).filter(plan__year=year)
    cells = (
        visits.annotate(month=ExtractMonth("planned_start"))
        .values("region_id", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    grid: dict[int, list[int]] = defaultdict(lambda: [0] * 12)
    for cell in cells:
        grid[cell["region_id"]][cell["month"] - 1] += cell["n"]
    regions = list(Region.objects.filter(pk__in=grid.keys()).order_by("code"))
    rows: list[dict[str, Any]] = [
        {"region": r, "months": grid[r.pk], "total": sum(grid[r.pk])} for r in regions
    ]
    month_totals = [sum(grid[r.pk][m - 1] for r in regions) for m in MONTHS]
    labels = dict(VisitState.choices)
    states = {
        row["state"]: row["n"] for row in visits.values("state").annotate(n=Count("id")).order_by()
    }
    by_state = [(s, str(labels[s]), states[s]) for s in VisitState.values if s in states]
    return PlanOverview(
        year=year,
        plan=AnnualPlan.objects.filter(year=year).first(),
        total=sum(month_totals),
        by_state=by_state,
        regions=regions,
        rows=rows,
        month_totals=month_totals,
    )


def plan_years(user: User) -> list[int]:
    years = set(AnnualPlan.objects.values_list("year", flat=True))
    years |= set(visits_visible_to(user).values_list("plan__year", flat=True).distinct())
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


# ---------------------------------------------------------------- team


@dataclass
class Candidate:
    participant: Participant
    problems: list[str]
    on_team: bool
    is_lead: bool


def team_candidates(visit: Visit) -> list[Candidate]:
    """Participants accredited on the visit's start, the current team first, each with
    the reasons (if any) they may not go: accreditation and declared conflicts."""
    team = {m.participant_id: m for m in visit.team.all()}
    pool = list(accreditation_candidates(visit.planned_start))
    present = {p.pk for p in pool}
    missing = [pk for pk in team if pk not in present]
    if missing:  # members no longer accredited still show, with the reason
        pool.extend(
            Participant.objects.filter(pk__in=missing)
            .select_related("user", "region")
            .prefetch_related("conflicts__agency", "conflicts__institution")
        )
    problems = eligibility_by_participant(
        pool, list(visit.institutions.all()), visit.planned_start, visit.planned_end
    )
    candidates = [
        Candidate(
            participant=p,
            problems=problems[p.pk],
            on_team=p.pk in team,
            is_lead=bool(team.get(p.pk) and team[p.pk].is_lead),
        )
        for p in pool
    ]
    candidates.sort(key=lambda c: (not c.on_team, bool(c.problems), sort_key(str(c.participant))))
    return candidates


def team_search_text(participant: Participant) -> str:
    """What the team picker's filter matches a candidate on: the name, the profession and
    the region, folded as the server's search folds (the picker's script folds the query)."""
    region = participant.region.name if participant.region else ""
    return normalize(f"{participant} {participant.get_profession_display()} {region}")


def candidate_regions(candidates: list[Candidate]) -> list[Region]:
    """The regions of the candidates, in alphabet order (the team picker's region filter)."""
    regions = {c.participant.region for c in candidates if c.participant.region is not None}
    return sorted(regions, key=lambda region: sort_key(region.name))


# ---------------------------------------------------------------- monitor's page


@dataclass
class ChecklistDue:
    visit: Visit
    institution: Institution
    answered: int | None  # None: not started
    total: int


@dataclass
class FollowUpDue:
    visit: Visit
    interview: Interview


@dataclass
class MyWork:
    participant: Participant | None
    upcoming: list[Visit] = field(default_factory=list)
    in_progress: list[Visit] = field(default_factory=list)
    checklists: list[ChecklistDue] = field(default_factory=list)
    reports: list[Visit] = field(default_factory=list)
    follow_ups: list[FollowUpDue] = field(default_factory=list)
    follow_up_horizon: datetime.date | None = None

    @property
    def due_count(self) -> int:
        return len(self.checklists) + len(self.reports) + len(self.follow_ups)


_UPCOMING = (VisitState.DRAFT, VisitState.PLANNED, VisitState.PREPARED, VisitState.POSTPONED)
_IN_PROGRESS = (
    VisitState.ON_SITE,
    VisitState.DEBRIEFED,
    VisitState.REPORT_DRAFT,
    VisitState.REPORT_REVIEW,
)
_REPORT_TO_DRAFT = (VisitState.DEBRIEFED, VisitState.REPORT_DRAFT)
FOLLOW_UP_DAYS = 7


def my_work(user: User) -> MyWork:
    """My visits (upcoming and in progress) and what is due on them."""
    participant = Participant.objects.filter(user=user).first()
    work = MyWork(participant=participant)
    if participant is None or not user.is_active:
        return work
    mine = (
        visits_visible_to(user)
        .filter(team__participant=participant)
        .select_related("region")
        .prefetch_related(
            Prefetch("institutions", queryset=Institution.objects.order_by("pk")),
        )
        .annotate(i_lead=Count("team", filter=Q(team__participant=participant, team__is_lead=True)))
    )
    visits = list(
        mine.filter(state__in=[*_UPCOMING, *_IN_PROGRESS]).order_by("planned_start", "pk")
    )
    work.upcoming = [v for v in visits if v.state in _UPCOMING]
    work.in_progress = [v for v in visits if v.state in _IN_PROGRESS]
    work.reports = [v for v in work.in_progress if v.state in _REPORT_TO_DRAFT and v.i_lead]  # type: ignore[attr-defined]
    work.checklists = _checklists_due(work.in_progress)
    today = timezone.localdate()
    work.follow_up_horizon = today + datetime.timedelta(days=FOLLOW_UP_DAYS)
    led = [v for v in mine if v.i_lead]  # type: ignore[attr-defined]
    by_pk = {v.pk: v for v in led}
    interviews = (
        Interview.objects.filter(
            visit__in=[v.pk for v in led],
            follow_up_on__isnull=False,
            follow_up_on__lte=work.follow_up_horizon,
            follow_up_done_on__isnull=True,
        )
        .only("pk", "public_id", "visit_id", "pseudonym", "follow_up_on", "consent_withdrawn_on")
        .order_by("follow_up_on", "pk")
    )
    work.follow_ups = [FollowUpDue(visit=by_pk[i.visit_id], interview=i) for i in interviews]
    return work


def _checklists_due(visits: list[Visit]) -> list[ChecklistDue]:
    """Checklists started with questions unanswered, and institutions of a visit on site
    with no checklist yet."""
    if not visits:
        return []
    by_pk = {v.pk: v for v in visits}
    responses = list(
        ChecklistResponse.objects.filter(visit__in=list(by_pk))
        .select_related("institution")
        .annotate(
            answered=Count(
                "answers",
                filter=Q(answers__value__isnull=False, answers__question__is_active=True),
            )
        )
        .order_by("pk")
    )
    totals = dict(
        ChecklistQuestion.objects.filter(
            template__in={r.template_id for r in responses}, is_active=True
        )
        .values("template")
        .annotate(n=Count("pk"))
        .values_list("template", "n")
    )
    due = [
        ChecklistDue(by_pk[r.visit_id], r.institution, r.answered, totals.get(r.template_id, 0))  # type: ignore[attr-defined]
        for r in responses
        if r.answered < totals.get(r.template_id, 0)  # type: ignore[attr-defined]
    ]
    started = {(r.visit_id, r.institution_id) for r in responses}
    for visit in visits:
        if visit.state != VisitState.ON_SITE:
            continue
        for institution in visit.institutions.all():
            if (visit.pk, institution.pk) not in started:
                due.append(ChecklistDue(visit, institution, None, 0))
    return due


# ---------------------------------------------------------------- planners' home


@dataclass
class PlannerWork:
    year: int
    drafts: int
    in_review: int
    overdue: int
    awaiting_response: int
    this_year: int
    upcoming_30: int


def planner_work(user: User) -> PlannerWork:
    """Counts that need a planner's action, over the visits the user may see."""
    today = timezone.localdate()
    visits = visits_visible_to(user)
    counts = visits.aggregate(
        drafts=Count("id", filter=Q(state=VisitState.DRAFT)),
        in_review=Count("id", filter=Q(state=VisitState.REPORT_REVIEW)),
        overdue=Count("id", filter=Q(state=VisitState.RESPONSE_OVERDUE)),
        awaiting_response=Count("id", filter=Q(state=VisitState.SENT_TO_AUTHORITY)),
        this_year=Count("id", filter=Q(plan__year=today.year)),
        upcoming_30=Count(
            "id",
            filter=Q(
                state__in=NOT_STARTED_STATES,
                planned_start__gte=today,
                planned_start__lte=today + datetime.timedelta(days=30),
            ),
        ),
    )
    return PlannerWork(year=today.year, **counts)


def visits_of_participant(
    user: User | None, participant: Participant, *, limit: int = 100
) -> QuerySet[Visit]:
    """The visits a participant was on, among those the viewer may see (newest first)."""
    return (
        visits_visible_to(user)
        .filter(team__participant=participant)
        .select_related("region")
        .order_by("-planned_start", "-pk")[:limit]
    )
