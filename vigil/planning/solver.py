"""The annual visit plan's optimiser: which institutions to visit, in which month, with whom.

Pure: plain frozen dataclasses in, a `Plan` out; no model, no database, no translation (the
plan page turns the codes of an `Infeasibility` into sentences). OR-Tools CP-SAT does the search.

The problem
-----------
Choose at most `budget` visits (one per institution at most) and give each a month and a team,
maximising the total risk of the visited institutions, where

* required institutions (coverage rules) and institutions pinned in by hand are visited, in
  their pinned month when they have one; excluded institutions are not (an exclusion by hand
  overrides a coverage rule: the plan page then shows the rule as not met);
* a team has exactly `team_size` distinct members (the minimum: a larger team never raises the
  covered risk and only spends capacity), with a doctor when the institution is medical and a
  psychologist when it holds children (one member may be both);
* a member is eligible, available in the visit's month, has no declared conflict of interest
  with the institution, and travels within the travel rule: a participant joins visits in their
  own region and in the regions `Parameters.neighbours` lists for it; a participant without a
  region (national staff) joins visits anywhere;
* a participant joins at most `capacity` visits in the year less the share reserved for
  special (unplanned) visits: `capacity * (100 - reserved_percent) // 100`;
* at most `monthly_limit` visits a month when one is set.

The exact decomposition
-----------------------
A model with one variable per (institution, month, participant) would have 3,000 x 12 x 121
variables at national scale. Two observations make it small without losing the optimum.

1. *Interchangeable institutions.* Group the institutions into classes with the same region,
   the same needs (medical, children's) and the same set of conflicted participants (among those
   who can reach the region). Any team that can visit one member of a class in a month can visit
   any other member in that month, so a class needs only counts: `n[c, m]`, the visits of class c
   in month m, and, per participant, `w[p, c, m]`, how many of those visits they join. Which
   members of the class are visited only changes the objective, so a binary `s[i]` per
   institution with `sum(s[i] for i in c) == sum(n[c, m] for m)` lets the solver take the
   riskiest; pins to a month are `n[c, m] >= pinned in (c, m)`.

2. *Counts are enough to form the teams.* In one cell (c, m) with `n` visits, slot counts
   `w[p] <= n` with `sum(w) == team_size * n`, doctor slots `>= n` for a medical class and
   psychologist slots `>= n` for a children's class are necessary, and they are sufficient:
   list the participants (both doctor and psychologist first, then doctors, then the others,
   then psychologists), each repeated `w[p]` times, and give the k-th entry to visit `k mod n`.
   Each visit gets `team_size` entries; a participant's entries are consecutive and at most
   `n`, so they land on distinct visits; the first `n` entries are doctors, so every visit has
   one; the visits without a dual expert among the first entries get one of the last `n -
   duals` entries, which are psychologists. `teams_from_counts` does exactly this, and
   `check` verifies every plan returned against the original, per-institution rules.

So the CP-SAT model (counts per class and month, one binary per institution) has the same
optimum as the per-institution model; its best bound is a bound of the real problem and the
reported gap is honest.

The solve runs in two stages (`solve`): the yearly relaxation (the same counts without months)
chooses the institutions and bounds the problem; the monthly model then gives that choice its
months and teams, reaching the bound; if it cannot, the whole monthly model searches from the
choice and the lower of the two proven bounds is reported. docs/planning.md has the details.

The candidates are also cut safely: within a class, only the riskiest `K` free (not required,
not pinned) institutions can matter, where `K` bounds the visits the class can get (the
capacity of those who can reach it divided by the team size, the doctors' capacity for a
medical class, the psychologists' for a children's one, the budget): swapping a chosen member
for a riskier unchosen one of the same class keeps the plan feasible and does not lower the
objective.

Infeasibility (required visits that cannot all be staffed) is explained: more required visits
than the budget; required institutions that no team could visit even alone (named); otherwise
a set of required institutions that cannot be staffed together, found by CP-SAT from
assumptions (one per required institution) on a feasibility copy of the model.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from ortools.sat.python import cp_model

__all__ = [
    "Infeasibility",
    "Instance",
    "Institution",
    "Parameters",
    "Participant",
    "Plan",
    "Reason",
    "Status",
    "Visit",
    "check",
    "effective_capacity",
    "solve",
    "teams_from_counts",
]

MONTHS: tuple[int, ...] = tuple(range(1, 13))


@dataclass(frozen=True)
class Institution:
    id: int
    risk: int  # the risk score, a non-negative integer (the objective adds them up)
    region: int
    medical: bool = False  # a doctor must be on the team
    children: bool = False  # a psychologist must be on the team
    required: bool = False  # by a coverage rule
    pinned: bool = False  # pinned in by hand
    excluded: bool = False  # excluded by hand (overrides `required`)
    month: int | None = None  # pinned to this month (implies pinned in)

    @property
    def must_visit(self) -> bool:
        return not self.excluded and (self.required or self.pinned or self.month is not None)


@dataclass(frozen=True)
class Participant:
    id: int
    region: int | None  # None: national staff, may join visits in any region
    capacity: int  # visits a year, before the reserved share
    months: frozenset[int] = frozenset(MONTHS)  # months available
    doctor: bool = False
    psychologist: bool = False
    conflicts: frozenset[int] = frozenset()  # institution ids they must not visit
    eligible: bool = True  # by the eligibility rules in force


@dataclass(frozen=True)
class Parameters:
    budget: int = 500  # visits in the year
    months: tuple[int, ...] = MONTHS
    team_size: int = 3
    reserved_percent: int = 20  # of each participant's capacity, kept for special visits
    # region -> the other regions its participants also travel to (not made symmetric)
    neighbours: Mapping[int, frozenset[int]] = field(default_factory=dict)
    monthly_limit: int | None = None  # visits a month, all regions together
    time_limit_s: float = 25.0
    workers: int = 2
    gap_limit: float = 0.0  # stop once (bound - value) / bound is at most this
    seed: int = 0


@dataclass(frozen=True)
class Instance:
    institutions: tuple[Institution, ...]
    participants: tuple[Participant, ...]
    parameters: Parameters = Parameters()


class Status(StrEnum):
    OPTIMAL = "optimal"  # proven
    FEASIBLE = "feasible"  # a plan, with `Plan.gap` to the best bound
    INFEASIBLE = "infeasible"  # the must-visit institutions cannot be staffed (see why)
    UNKNOWN = "unknown"  # no plan found within the time limit


class Reason(StrEnum):
    BUDGET = "budget"  # more must-visit institutions than the budget
    NO_TEAM = "no_team"  # no team could visit these institutions, even alone
    TOGETHER = "together"  # these cannot all be staffed together (capacity, months, limits)
    INVALID = "invalid"  # contradictory input (pinned and excluded, unknown month...)


@dataclass(frozen=True)
class Infeasibility:
    reason: Reason
    institutions: tuple[int, ...]  # the institutions concerned, sorted
    detail: str = ""  # technical detail in English, for logs and tests


@dataclass(frozen=True)
class Visit:
    institution: int
    month: int
    team: tuple[int, ...]  # participant ids, sorted
    risk: int
    why: str  # "required", "pinned" or "risk"


@dataclass(frozen=True)
class Plan:
    status: Status
    visits: tuple[Visit, ...] = ()
    objective: int = 0  # total risk of the visits
    bound: int = 0  # proven upper bound of the objective
    gap: float = 0.0  # (bound - objective) / bound; 0 when proven optimal
    wall_s: float = 0.0
    candidates: int = 0  # institutions left in the model after the safe cut
    infeasibility: Infeasibility | None = None


def effective_capacity(participant: Participant, parameters: Parameters) -> int:
    """Visits a participant may join in the plan: the capacity less the reserved share."""
    if not participant.eligible:
        return 0
    return max(0, participant.capacity * (100 - parameters.reserved_percent) // 100)


def _reaches(participant: Participant, region: int, parameters: Parameters) -> bool:
    if participant.region is None or participant.region == region:
        return True
    return region in parameters.neighbours.get(participant.region, frozenset())


def _can_join(
    participant: Participant, institution: Institution, month: int, parameters: Parameters
) -> bool:
    return (
        effective_capacity(participant, parameters) > 0
        and month in participant.months
        and institution.id not in participant.conflicts
        and _reaches(participant, institution.region, parameters)
    )


# ---------------------------------------------------------------------------- the plan checked


def check(instance: Instance, visits: Iterable[Visit]) -> list[str]:
    """Every rule the plan breaks, in English (empty: the plan is valid). Independent of the
    model: it looks at each visit and each participant as the problem states them."""
    parameters = instance.parameters
    institutions = {i.id: i for i in instance.institutions}
    participants = {p.id: p for p in instance.participants}
    visits = list(visits)
    problems: list[str] = []
    if len(visits) > parameters.budget:
        problems.append(f"{len(visits)} visits over the budget of {parameters.budget}")
    seen: set[int] = set()
    load: dict[int, int] = defaultdict(int)
    per_month: dict[int, int] = defaultdict(int)
    for visit in visits:
        institution = institutions.get(visit.institution)
        if institution is None:
            problems.append(f"unknown institution {visit.institution}")
            continue
        if visit.institution in seen:
            problems.append(f"institution {visit.institution} visited twice")
        seen.add(visit.institution)
        if institution.excluded:
            problems.append(f"institution {visit.institution} is excluded")
        if visit.month not in parameters.months:
            problems.append(f"institution {visit.institution}: month {visit.month} not planned")
        if institution.month is not None and visit.month != institution.month:
            problems.append(f"institution {visit.institution} pinned to {institution.month}")
        per_month[visit.month] += 1
        team = [participants.get(p) for p in visit.team]
        if len(set(visit.team)) != len(visit.team) or len(visit.team) < parameters.team_size:
            problems.append(f"institution {visit.institution}: team {visit.team} too small")
        for member_id, member in zip(visit.team, team, strict=True):
            if member is None:
                problems.append(f"unknown participant {member_id}")
                continue
            load[member_id] += 1
            if not member.eligible:
                problems.append(f"participant {member_id} is not eligible")
            if visit.month not in member.months:
                problems.append(f"participant {member_id} unavailable in {visit.month}")
            if institution.id in member.conflicts:
                problems.append(f"participant {member_id} conflicted at {institution.id}")
            if not _reaches(member, institution.region, parameters):
                problems.append(f"participant {member_id} does not travel to {institution.id}")
        members = [m for m in team if m is not None]
        if institution.medical and not any(m.doctor for m in members):
            problems.append(f"institution {visit.institution}: no doctor")
        if institution.children and not any(m.psychologist for m in members):
            problems.append(f"institution {visit.institution}: no psychologist")
    for participant_id, count in load.items():
        participant = participants.get(participant_id)
        if participant and count > effective_capacity(participant, parameters):
            problems.append(f"participant {participant_id} over capacity ({count})")
    for institution in instance.institutions:
        if institution.must_visit and institution.id not in seen:
            problems.append(f"institution {institution.id} must be visited")
    if parameters.monthly_limit is not None:
        for month, count in per_month.items():
            if count > parameters.monthly_limit:
                problems.append(f"{count} visits in month {month}")
    return problems


# ---------------------------------------------------------------------------- teams from counts


def teams_from_counts(
    visits: int, slots: Mapping[int, int], participants: Mapping[int, Participant]
) -> list[list[int]]:
    """Teams for `visits` interchangeable visits from each participant's slot count (at most
    `visits` each, `team_size * visits` in all): duals, doctors, others, psychologists, each
    repeated; the k-th entry goes to visit k mod `visits` (see the module's docstring)."""

    def rank(participant_id: int) -> tuple[int, int]:
        p = participants[participant_id]
        order = 0 if p.doctor and p.psychologist else 1 if p.doctor else 3 if p.psychologist else 2
        return order, participant_id

    entries = [pid for pid in sorted(slots, key=rank) for _ in range(slots[pid])]
    teams: list[list[int]] = [[] for _ in range(visits)]
    for k, participant_id in enumerate(entries):
        teams[k % visits].append(participant_id)
    return teams


# ---------------------------------------------------------------------------- the model


@dataclass
class _Class:
    region: int
    medical: bool
    children: bool
    blocked: frozenset[int]  # participants conflicted with every member
    members: list[Institution] = field(default_factory=list)


class _Model:
    """The counts model of the module's docstring, over the candidate institutions.

    `yearly`: the relaxation without months (one cell per class; a participant counts if
    available in any month; the monthly limit becomes a yearly one). `fixed`: only these
    institutions, all visited (the months and teams of a chosen set); `totals`, with it: each
    participant's visits per class as the yearly model gave them, spread over the months.
    """

    def __init__(
        self,
        instance: Instance,
        *,
        yearly: bool = False,
        fixed: frozenset[int] | None = None,
        totals: Mapping[tuple[int, int], int] | None = None,
        required_as_assumptions: bool = False,
    ) -> None:
        self.instance = instance
        p = instance.parameters
        self.parameters = p
        self.yearly = yearly
        self.totals = totals
        self.cells: tuple[int, ...] = (0,) if yearly else p.months
        self.participants = {x.id: x for x in instance.participants}
        self.capacity = {
            x.id: effective_capacity(x, p) if set(x.months) & set(p.months) else 0
            for x in instance.participants
        }
        self.model = cp_model.CpModel()
        self.assumptions: dict[int, cp_model.IntVar] = {}
        self.classes = self._classes()
        if fixed is None:
            self.candidates = self._cut()
        else:
            for cls in self.classes:
                cls.members = [i for i in cls.members if i.id in fixed]
            self.candidates = len(fixed)
        self._build(required_as_assumptions, fixed is not None)

    def _classes(self) -> list[_Class]:
        p = self.parameters
        active = [x for x in self.instance.participants if self.capacity[x.id] > 0]
        reach: dict[int, list[Participant]] = {}
        classes: dict[tuple[int, bool, bool, frozenset[int]], _Class] = {}
        for institution in self.instance.institutions:
            if institution.excluded:
                continue
            region = institution.region
            if region not in reach:
                reach[region] = [x for x in active if _reaches(x, region, p)]
            blocked = frozenset(x.id for x in reach[region] if institution.id in x.conflicts)
            key = (region, institution.medical, institution.children, blocked)
            if key not in classes:
                classes[key] = _Class(region, institution.medical, institution.children, blocked)
            classes[key].members.append(institution)
        self.reach = reach
        return list(classes.values())

    def _bound(self, cls: _Class) -> int:
        """Visits the class can get at most."""
        p = self.parameters
        pool = [x for x in self.reach[cls.region] if x.id not in cls.blocked]
        bound = min(p.budget, sum(self.capacity[x.id] for x in pool) // p.team_size)
        if cls.medical:
            bound = min(bound, sum(self.capacity[x.id] for x in pool if x.doctor))
        if cls.children:
            bound = min(bound, sum(self.capacity[x.id] for x in pool if x.psychologist))
        return bound

    def _cut(self) -> int:
        kept = 0
        for cls in self.classes:
            must = [i for i in cls.members if i.must_visit]
            free = sorted(
                (i for i in cls.members if not i.must_visit), key=lambda i: (-i.risk, i.id)
            )
            room = max(0, self._bound(cls) - len(must))
            cls.members = must + [i for i in free[:room] if i.risk > 0]
            kept += len(cls.members)
        return kept

    def _staffable(self, cls: _Class, here: list[Participant]) -> bool:
        return (
            len(here) >= self.parameters.team_size
            and (not cls.medical or any(x.doctor for x in here))
            and (not cls.children or any(x.psychologist for x in here))
        )

    def _build(self, required_as_assumptions: bool, fixed: bool) -> None:
        p = self.parameters
        m = self.model
        self.s: dict[int, cp_model.IntVar] = {}
        self.n: dict[tuple[int, int], cp_model.IntVar] = {}
        self.w: dict[tuple[int, int, int], cp_model.IntVar] = {}
        per_cell: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        load: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for c, cls in enumerate(self.classes):
            if not cls.members:
                continue
            size = len(cls.members)
            chosen = []
            previous = None
            for institution in cls.members:  # the must-visit first, then by falling risk
                s = m.new_bool_var(f"s{institution.id}")
                self.s[institution.id] = s
                chosen.append(s)
                if fixed:
                    m.add(s == 1)
                elif institution.must_visit:
                    if required_as_assumptions:
                        self.assumptions[institution.id] = s
                    else:
                        m.add(s == 1)
                else:  # the riskier of two interchangeable institutions first (symmetry)
                    if previous is not None:
                        m.add(previous >= s)
                    previous = s
            pool = [
                x
                for x in self.reach[cls.region]
                if x.id not in cls.blocked
                and self.capacity[x.id] > 0
                and (self.totals is None or self.totals.get((x.id, c), 0) > 0)
            ]
            counts = []
            mine: dict[int, list[cp_model.IntVar]] = defaultdict(list)
            for cell in self.cells:
                if self.yearly:
                    pinned = sum(1 for i in cls.members if i.month is not None)
                    here = pool
                    open_ = any(
                        self._staffable(cls, [x for x in pool if month in x.months])
                        for month in p.months
                    )
                else:
                    pinned = sum(1 for i in cls.members if i.month == cell)
                    here = [x for x in pool if cell in x.months]
                    open_ = self._staffable(cls, here)
                top = size if open_ else 0
                if top == 0 and pinned == 0:
                    continue
                n = m.new_int_var(pinned, max(top, pinned), f"n{c}_{cell}")
                self.n[c, cell] = n
                counts.append(n)
                per_cell[cell].append(n)
                slots = []
                for x in here:
                    w = m.new_int_var(0, min(size, self.capacity[x.id]), f"w{x.id}_{c}_{cell}")
                    m.add(w <= n)
                    self.w[x.id, c, cell] = w
                    mine[x.id].append(w)
                    slots.append((x, w))
                    load[x.id].append(w)
                m.add(sum(w for _, w in slots) == p.team_size * n)
                if cls.medical:
                    m.add(sum(w for x, w in slots if x.doctor) >= n)
                if cls.children:
                    m.add(sum(w for x, w in slots if x.psychologist) >= n)
            m.add(sum(chosen) == sum(counts))
            if self.totals is not None:
                for x in pool:
                    m.add(sum(mine[x.id]) == self.totals[x.id, c])
        for participant_id, terms in load.items():
            m.add(sum(terms) <= self.capacity[participant_id])
        m.add(sum(self.s.values()) <= p.budget)
        if p.monthly_limit is not None:
            limit = p.monthly_limit * (len(p.months) if self.yearly else 1)
            for terms in per_cell.values():
                m.add(sum(terms) <= limit)
        if not fixed:
            risk = {i.id: i.risk for cls in self.classes for i in cls.members}
            m.maximize(sum(risk[i] * s for i, s in self.s.items()))

    def chosen(self, solver: cp_model.CpSolver) -> frozenset[int]:
        return frozenset(i for i, s in self.s.items() if solver.value(s))

    def slot_totals(self, solver: cp_model.CpSolver) -> dict[tuple[int, int], int]:
        totals: dict[tuple[int, int], int] = defaultdict(int)
        for (pid, c, _), w in self.w.items():
            totals[pid, c] += solver.value(w)
        return dict(totals)

    def solver(self, seconds: float, *, workers: int | None = None) -> cp_model.CpSolver:
        p = self.parameters
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.1, seconds)
        solver.parameters.num_workers = workers or p.workers
        solver.parameters.random_seed = p.seed
        solver.parameters.relative_gap_limit = p.gap_limit
        return solver

    def visits(self, solver: cp_model.CpSolver) -> tuple[Visit, ...]:
        """The teams of the solution, cell by cell (`teams_from_counts`)."""
        visits: list[Visit] = []
        for c, cls in enumerate(self.classes):
            chosen = [i for i in cls.members if i.id in self.s and solver.value(self.s[i.id])]
            loose = sorted((i for i in chosen if i.month is None), key=lambda i: (-i.risk, i.id))
            for month in self.cells:
                if (c, month) not in self.n:
                    continue
                count = solver.value(self.n[c, month])
                if not count:
                    continue
                here = [i for i in chosen if i.month == month]
                take = count - len(here)
                here, loose = here + loose[:take], loose[take:]
                slots = {
                    pid: solver.value(w)
                    for (pid, cc, mm), w in self.w.items()
                    if cc == c and mm == month and solver.value(w)
                }
                teams = teams_from_counts(count, slots, self.participants)
                for institution, team in zip(here, teams, strict=True):
                    why = (
                        "required"
                        if institution.required
                        else "pinned"
                        if institution.must_visit
                        else "risk"
                    )
                    visits.append(
                        Visit(institution.id, month, tuple(sorted(team)), institution.risk, why)
                    )
        return tuple(sorted(visits, key=lambda v: (v.month, -v.risk, v.institution)))


# ---------------------------------------------------------------------------- solving


def _invalid(instance: Instance) -> Infeasibility | None:
    p = instance.parameters
    wrong = [
        i.id
        for i in instance.institutions
        if (i.excluded and (i.pinned or i.month is not None))
        or (i.month is not None and i.month not in p.months)
    ]
    if wrong:
        return Infeasibility(Reason.INVALID, tuple(sorted(wrong)), "pinned and excluded, or month")
    ids = [i.id for i in instance.institutions]
    if len(ids) != len(set(ids)) or p.team_size < 2 or p.budget < 0:
        return Infeasibility(Reason.INVALID, (), "duplicate ids, team size below 2 or budget")
    return None


def _alone_impossible(instance: Instance) -> list[int]:
    """Must-visit institutions no team could visit even with everyone free for them."""
    p = instance.parameters
    impossible = []
    for institution in instance.institutions:
        if not institution.must_visit:
            continue
        months = (institution.month,) if institution.month is not None else p.months
        possible = False
        for month in months:
            here = [x for x in instance.participants if _can_join(x, institution, month, p)]
            doctor = any(x.doctor for x in here)
            psychologist = any(x.psychologist for x in here)
            if (
                len(here) >= p.team_size
                and (doctor or not institution.medical)
                and (psychologist or not institution.children)
            ):
                possible = True
                break
        if not possible:
            impossible.append(institution.id)
    return impossible


def _explain(instance: Instance, seconds: float, *, yearly: bool) -> Infeasibility:
    """Why the must-visit institutions cannot all be visited. `yearly`: the yearly relaxation
    is already infeasible, so a core of it (faster to find) explains the real problem too."""
    p = instance.parameters
    must = sorted(i.id for i in instance.institutions if i.must_visit)
    if len(must) > p.budget:
        return Infeasibility(
            Reason.BUDGET, tuple(must), f"{len(must)} must-visit institutions, budget {p.budget}"
        )
    alone = _alone_impossible(instance)
    if alone:
        return Infeasibility(Reason.NO_TEAM, tuple(alone), "no eligible team in any month")
    model = _Model(instance, yearly=yearly, required_as_assumptions=True)
    model.model.clear_objective()
    model.model.add_assumptions(list(model.assumptions.values()))
    solver = model.solver(seconds, workers=1)  # cores come from the single-worker search
    status = solver.solve(model.model)
    if status == cp_model.INFEASIBLE:
        core = set(solver.sufficient_assumptions_for_infeasibility())
        names = sorted(i for i, s in model.assumptions.items() if s.index in core)
        return Infeasibility(Reason.TOGETHER, tuple(names or must), "not staffable together")
    return Infeasibility(Reason.TOGETHER, tuple(must), "no core found within the time limit")


def _bound(solver: cp_model.CpSolver, status: object) -> int:
    if status == cp_model.OPTIMAL:
        return round(solver.objective_value)
    return math.floor(solver.best_objective_bound + 1e-6)


def solve(instance: Instance) -> Plan:
    """The best plan for the instance (see the module's docstring), or why there is none.

    Stage 1 solves the yearly relaxation (no months): its optimum is the plan's bound.
    Stage 2 gives the chosen institutions months and teams with the full model; when it
    succeeds the plan reaches the bound. When it does not (availability or the monthly limit
    bind), the full model runs from the stage-1 choice as a hint, and the bound reported is
    the lower of the two proven bounds. All within `time_limit_s`, except the explanation of
    an infeasible instance, which gets its own `time_limit_s`.
    """
    start = time.perf_counter()
    p = instance.parameters

    def left() -> float:
        return p.time_limit_s - (time.perf_counter() - start)

    def done(status: Status, **kwargs: object) -> Plan:
        return Plan(status, wall_s=time.perf_counter() - start, **kwargs)  # type: ignore[arg-type]

    invalid = _invalid(instance)
    if invalid:
        return done(Status.INFEASIBLE, infeasibility=invalid)
    yearly = _Model(instance, yearly=True)
    solver = yearly.solver(left())
    status = solver.solve(yearly.model)
    if status == cp_model.INFEASIBLE:  # the relaxation is: so is the problem
        return done(
            Status.INFEASIBLE,
            infeasibility=_explain(instance, p.time_limit_s, yearly=True),
            candidates=yearly.candidates,
        )
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return done(Status.UNKNOWN, candidates=yearly.candidates)
    bound = _bound(solver, status)
    chosen = yearly.chosen(solver)

    totals = yearly.slot_totals(solver)
    monthly = _Model(instance, fixed=chosen, totals=totals)  # small: the yearly teams spread
    solver = monthly.solver(left())
    status = solver.solve(monthly.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):  # other teams for the same visits
        monthly = _Model(instance, fixed=chosen)
        solver = monthly.solver(left())
        status = solver.solve(monthly.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        monthly = _Model(instance)
        for institution_id, s in monthly.s.items():
            monthly.model.add_hint(s, institution_id in chosen)
        solver = monthly.solver(left())
        status = solver.solve(monthly.model)
        if status == cp_model.INFEASIBLE:
            return done(
                Status.INFEASIBLE,
                infeasibility=_explain(instance, p.time_limit_s, yearly=False),
                candidates=monthly.candidates,
            )
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return done(Status.UNKNOWN, bound=bound, candidates=monthly.candidates)
        bound = min(bound, _bound(solver, status))
    visits = monthly.visits(solver)
    problems = check(instance, visits)
    if problems:  # the decomposition's guarantee broken: a bug, never a plan to show
        raise AssertionError("; ".join(problems[:5]))
    objective = sum(v.risk for v in visits)
    bound = max(bound, objective)
    return done(
        Status.OPTIMAL if objective == bound else Status.FEASIBLE,
        visits=visits,
        objective=objective,
        bound=bound,
        gap=(bound - objective) / bound if bound else 0.0,
        candidates=yearly.candidates,
    )
