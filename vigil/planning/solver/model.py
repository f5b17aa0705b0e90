"""The CP-SAT counts model over classes of interchangeable institutions (see the package's
docstring)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .check import teams_from_counts
from .instance import (
    Instance,
    Institution,
    Participant,
    Visit,
    _reaches,
    effective_capacity,
)

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
