"""The annual visit plan's optimiser: which institutions to visit, in which month, with whom.

Pure: plain frozen dataclasses in, a `Plan` out; no model, no database, no translation (the
plan page turns the codes of an `Infeasibility` into sentences). OR-Tools CP-SAT does the search.

The problem
-----------
Choose at most `budget` visits (one per institution at most) and give each a month and a team,
maximising the total risk of the visited institutions, where

* required institutions (coverage rules) and institutions pinned in by hand are visited, in
  their pinned month when they have one; excluded institutions are not (an exclusion by hand
  overrides a coverage rule: the plan page then shows the rule as not met); with
  `Coverage.PRIORITY` the required ones are visited as far as they can be staffed instead
  (`_solve_by_priority`);
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
from dataclasses import replace

from ortools.sat.python import cp_model

from .check import check, teams_from_counts
from .instance import (
    MONTHS as MONTHS,  # re-exported: was importable from the former module
)
from .instance import (
    Coverage,
    Infeasibility,
    Instance,
    Institution,
    Parameters,
    Participant,
    Plan,
    Reason,
    Status,
    Visit,
    _can_join,
    effective_capacity,
)
from .model import _Model

__all__ = [
    "Coverage",
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

    With `Coverage.PRIORITY` the coverage rules are priorities (`_solve_by_priority`);
    otherwise constraints (`_solve_strict`)."""
    if instance.parameters.coverage == Coverage.PRIORITY:
        return _solve_by_priority(instance)
    return _solve_strict(instance)


def _solve_by_priority(instance: Instance) -> Plan:
    """Coverage rules as priorities: the plan visits as many required institutions as can be
    staffed, and among such plans the one with the most risk; pins stay constraints.

    The required institutions lose their constraint and gain a bonus larger than the risk of
    any plan (one more than the sum of the `budget` largest risks), and the strict problem is
    solved for that: one more required institution visited then always outweighs any risk, so
    the optimum is lexicographic (required visited, then risk), and it is the strict optimum
    whenever every required institution can be visited. The plan reports the real risks; its
    bound is the bonus problem's bound less the bonuses earned (an upper bound on the risk of
    plans visiting as many required institutions), so it equals the objective when proven."""
    soft = {
        i.id for i in instance.institutions if i.required and not i.excluded and not i.pinned_in
    }
    risks = sorted((i.risk for i in instance.institutions), reverse=True)
    bonus = 1 + sum(risks[: instance.parameters.budget])
    priced = Instance(
        tuple(
            replace(i, required=False, risk=i.risk + bonus) if i.id in soft else i
            for i in instance.institutions
        ),
        instance.participants,
        instance.parameters,
    )
    plan = _solve_strict(priced)
    original = {i.id: i for i in instance.institutions}
    visits = tuple(
        sorted(
            (
                replace(
                    v,
                    risk=original[v.institution].risk,
                    why="required" if v.institution in soft else v.why,
                )
                for v in plan.visits
            ),
            key=lambda v: (v.month, -v.risk, v.institution),
        )
    )
    earned = bonus * sum(1 for v in visits if v.institution in soft)
    objective = sum(v.risk for v in visits)
    bound = max(objective, plan.bound - earned) if plan.bound else 0
    return replace(
        plan,
        visits=visits,
        objective=objective,
        bound=bound,
        gap=(bound - objective) / bound if bound else 0.0,
        required_left_out=tuple(sorted(soft - {v.institution for v in visits})),
    )


def _solve_strict(instance: Instance) -> Plan:
    """The best plan visiting every must-visit institution, or why there is none.

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
