"""Reads of visits and plans, already filtered for the user (`visits_visible_to`), so that
an agency liaison never meets a visit that has not started — in a list, a count or a search."""

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import django_filters
from django import forms
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import ExtractMonth
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import User
from vigil.core.collation import sort_key
from vigil.core.forms import StyledForm
from vigil.core.listing import nulls_last
from vigil.core.search import normalize, search_filter
from vigil.people.models import Participant
from vigil.people.selectors import accreditation_candidates, eligibility_by_participant
from vigil.reference.filters import AgencySubtreeFilter, RegionFilter
from vigil.reference.models import Agency, InstitutionType, Region
from vigil.reference.selectors import agency_subtree_ids
from vigil.registry.filters import name_field
from vigil.registry.models import Institution
from vigil.registry.permissions import institutions_visible_to
from vigil.registry.selectors import institution_search

from ..enums import NOT_STARTED_STATES, VisitMode, VisitState, VisitType
from ..models import (
    AnnualPlan,
    ChecklistQuestion,
    ChecklistResponse,
    Interview,
    TeamMember,
    Visit,
    VisitTransition,
)
from ..permissions import can_see_visit_details, visits_visible_to

MONTHS = range(1, 13)


def visit_for(user: User, public_id: Any) -> Visit:
    """Fetch and authorize in one: 404 both when missing and when not visible."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise Http404 from None
    visit = (
        visits_visible_to(user)
        .select_related("plan", "region", "follow_up_of", "created_by")
        .filter(public_id=key)
        .first()
    )
    if visit is None:
        raise Http404
    return visit


def visit_team(visit: Visit) -> list[TeamMember]:
    return list(visit.team.select_related("participant__user", "participant__region"))


def visit_history(visit: Visit) -> QuerySet[VisitTransition]:
    return visit.transitions.select_related("actor").order_by("occurred_at", "id")


def visit_institutions(visit: Visit) -> QuerySet[Institution]:
    return visit.institutions.select_related("region", "type", "agency").order_by("pk")


# ---------------------------------------------------------------- listing


class VisitOrdering(django_filters.OrderingFilter):
    """`date` is the date the row shows (the planned start; for agency liaisons, the actual
    start), `institution` the first institution shown, `state` the life-cycle order."""

    def filter(self, qs: QuerySet[Visit], value: Any) -> QuerySet[Visit]:
        keys = {param.lstrip("-") for param in value or ()}
        if "institution" in keys:
            parent = self.parent
            assert isinstance(parent, VisitFilter)  # noqa: S101 (declared on it)
            shown = institutions_visible_to(parent.user).filter(visits=OuterRef("pk"))
            qs = qs.annotate(
                first_institution=Subquery(shown.order_by("pk").values(name_field())[:1])
            )
        if "state" in keys:
            steps = [When(state=state, then=n) for n, state in enumerate(VisitState.values)]
            qs = qs.annotate(state_step=Case(*steps, output_field=IntegerField()))
        return super().filter(qs, value)  # type: ignore[no-any-return]


def made_visits_q() -> Q:
    """A visit that was made: it started (its actual start is recorded) and was not called off.
    The year of a made visit is the year it started. Statistics count visits by this rule, and
    the visits list's `made_in` filter shows the visits behind each figure."""
    not_made = {*NOT_STARTED_STATES, VisitState.CANCELLED}
    return Q(started_at__isnull=False) & ~Q(state__in=not_made)


class VisitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Reference or institution"), method="filter_q")
    year = django_filters.NumberFilter(label=_("Year"), field_name="plan__year")
    made_in = django_filters.NumberFilter(
        label=_("Made in"),
        method="filter_made_in",
        min_value=1990,
        max_value=2999,
        help_text=_("Visits that took place in this year (by their actual start)."),
    )
    month = django_filters.NumberFilter(label=_("Month"), method="filter_month")
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=VisitState.choices, empty_label=_("Any state")
    )
    type = django_filters.ChoiceFilter(
        label=_("Type"), choices=VisitType.choices, empty_label=_("Any type")
    )
    mode = django_filters.ChoiceFilter(
        label=_("Mode"), choices=VisitMode.choices, empty_label=_("Any mode")
    )
    region = RegionFilter()
    # One visit meets one institution once: the join adds no duplicate row.
    institution = django_filters.UUIDFilter(
        label=_("Institution"), field_name="institutions__public_id", widget=forms.HiddenInput
    )
    agency = AgencySubtreeFilter(method="filter_agency")
    institution_type = django_filters.ModelChoiceFilter(
        label=_("Institution type"),
        queryset=InstitutionType.objects.order_by("category", "code"),
        to_field_name="code",
        empty_label=_("All types"),
        method="filter_institution_type",
    )
    ordering = VisitOrdering(
        label=_("Sort by"),
        empty_label=_("Date, newest first (default)"),
        fields=(
            ("planned_start", "date"),
            ("reference", "reference"),
            ("first_institution", "institution"),
            ("region__code", "region"),
            ("state_step", "state"),
        ),
    )

    class Meta:
        model = Visit
        form = StyledForm
        fields = (
            "q",
            "year",
            "made_in",
            "month",
            "state",
            "type",
            "mode",
            "region",
            "agency",
            "institution_type",
            "institution",
        )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user or getattr(self.request, "user", None)
        self.date_field = "planned_start"
        if not can_see_visit_details(self.user):
            # An agency liaison sees the actual start, never the planned one: sort by it.
            self.date_field = "started_at"
            ordering = self.filters["ordering"]
            assert isinstance(ordering, VisitOrdering)  # noqa: S101 (declared above)
            ordering.param_map["date"] = "started_at"

    def filter_queryset(self, queryset: QuerySet[Visit]) -> QuerySet[Visit]:
        qs = super().filter_queryset(queryset)
        # Newest first by default; the primary key last, so that pages never overlap.
        ordering = [str(o) for o in qs.query.order_by] or [f"-{self.date_field}"]
        tiebreak = "-pk" if ordering[-1].startswith("-") else "pk"
        return qs.order_by(*nulls_last(ordering), tiebreak)

    def filter_q(self, qs: QuerySet[Visit], name: str, value: str) -> QuerySet[Visit]:
        visible = institutions_visible_to(self.user)

        def at_institution(word: str) -> Q:
            places = institution_search(visible, word)
            return Q(pk__in=Visit.objects.filter(institutions__in=places).values("pk"))

        return search_filter(qs, value, ["reference"], also=at_institution)

    def filter_month(self, qs: QuerySet[Visit], name: str, value: Any) -> QuerySet[Visit]:
        if value is None:
            return qs
        return qs.filter(planned_start__month=int(value))

    def filter_agency(self, qs: QuerySet[Visit], name: str, value: Agency) -> QuerySet[Visit]:
        places = Institution.objects.filter(agency_id__in=agency_subtree_ids(value))
        return qs.filter(pk__in=Visit.objects.filter(institutions__in=places).values("pk"))

    def filter_institution_type(
        self, qs: QuerySet[Visit], name: str, value: InstitutionType
    ) -> QuerySet[Visit]:
        places = Institution.objects.filter(type=value)
        return qs.filter(pk__in=Visit.objects.filter(institutions__in=places).values("pk"))

    def filter_made_in(self, qs: QuerySet[Visit], name: str, value: Any) -> QuerySet[Visit]:
        if value is None:
            return qs
        return qs.filter(made_visits_q(), started_at__year=int(value))


def visits_for_listing(user: User | None) -> QuerySet[Visit]:
    """Visible visits, each with the institutions the user may see in the registry."""
    shown = institutions_visible_to(user).select_related("region").order_by("pk")
    return (
        visits_visible_to(user)
        .select_related("region", "plan")
        .prefetch_related(Prefetch("institutions", queryset=shown))
    )


def visit_listing(user: User, params: QueryDict) -> VisitFilter:
    """The visits a user may see, with the list page's (and the API's) filters."""
    return VisitFilter(params, queryset=visits_for_listing(user), user=user)


def listed_institution(user: User | None, form: Any) -> Institution | None:
    """The institution a list is narrowed to (`?institution=`), if the user may see it."""
    key = form.cleaned_data.get("institution") if form.is_valid() else None
    return institutions_visible_to(user).filter(public_id=key).first() if key else None


# ---------------------------------------------------------------- annual plan


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
