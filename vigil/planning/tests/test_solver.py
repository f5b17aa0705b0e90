"""The visit plan's optimiser: the same optimum as an exhaustive search on small instances,
and each rule of the problem on an instance made to test it."""

import itertools
import random
from dataclasses import replace
from functools import cache

import pytest

from vigil.planning.solver import (
    Coverage,
    Infeasibility,
    Instance,
    Institution,
    Parameters,
    Participant,
    Reason,
    Status,
    Visit,
    check,
    effective_capacity,
    solve,
    teams_from_counts,
)

FAST = Parameters(budget=10, months=(1, 2, 3), time_limit_s=20, workers=2)


def people(count: int, **flags: object) -> list[Participant]:
    return [Participant(id=100 + k, region=1, capacity=5, **flags) for k in range(count)]  # type: ignore[arg-type]


def plan_for(
    institutions: list[Institution], participants: list[Participant], **parameters: object
) -> tuple[Instance, list[Visit]]:
    instance = Instance(tuple(institutions), tuple(participants), replace(FAST, **parameters))  # type: ignore[arg-type]
    plan = solve(instance)
    assert plan.status == Status.OPTIMAL, plan
    assert check(instance, plan.visits) == []
    return instance, list(plan.visits)


# ---------------------------------------------------------------------------- brute force


def brute_force(instance: Instance) -> int | None:
    """The best total risk by exhaustive search (see `brute_force_value`)."""
    value = brute_force_value(instance)
    return None if value is None else value[1]


def brute_force_value(instance: Instance) -> tuple[int, int] | None:
    """The best (required institutions visited, total risk) by exhaustive search: every
    institution either not visited or visited in each allowed month by each team (every
    subset of at least `team_size` who may join), with the participants' remaining
    capacities, the budget and the monthly counts as the memoised state. Strict coverage
    counts no required institution (they must all be visited: None when no plan does);
    priority coverage counts them first and requires only the pinned ones."""
    p = instance.parameters
    priority = p.coverage == Coverage.PRIORITY
    institutions = instance.institutions
    participants = instance.participants
    index = {x.id: k for k, x in enumerate(participants)}

    def options(institution: Institution) -> list[tuple[int, tuple[int, ...]]]:
        found = []
        months = p.months if institution.month is None else (institution.month,)
        for month in months:
            able = [
                x
                for x in participants
                if x.eligible
                and month in x.months
                and institution.id not in x.conflicts
                and (
                    x.region is None
                    or x.region == institution.region
                    or institution.region in p.neighbours.get(x.region, frozenset())
                )
            ]
            for size in range(p.team_size, len(able) + 1):
                for team in itertools.combinations(able, size):
                    if institution.medical and not any(x.doctor for x in team):
                        continue
                    if institution.children and not any(x.psychologist for x in team):
                        continue
                    found.append((month, tuple(index[x.id] for x in team)))
        return found

    choices = [[] if i.excluded else options(i) for i in institutions]

    impossible = (-1, 0)  # below any plan's value

    @cache
    def best(
        k: int, capacity: tuple[int, ...], budget: int, per_month: tuple[int, ...]
    ) -> tuple[int, int]:
        if k == len(institutions):
            return (0, 0)
        institution = institutions[k]
        must = institution.must_visit_under(p.coverage)
        result = impossible if must else best(k + 1, capacity, budget, per_month)
        if budget == 0:
            return result
        gain = (
            int(priority and institution.required and not institution.pinned_in),
            institution.risk,
        )
        for month, team in choices[k]:
            slot = p.months.index(month)
            if p.monthly_limit is not None and per_month[slot] >= p.monthly_limit:
                continue
            if any(capacity[j] == 0 for j in team):
                continue
            left = tuple(c - (j in team) for j, c in enumerate(capacity))
            months_after = tuple(c + (s == slot) for s, c in enumerate(per_month))
            rest = best(k + 1, left, budget - 1, months_after)
            if rest != impossible:
                result = max(result, (gain[0] + rest[0], gain[1] + rest[1]))
        return result

    start = tuple(effective_capacity(x, p) for x in participants)
    value = best(0, start, p.budget, tuple(0 for _ in p.months))
    return None if value == impossible else value


def random_instance(seed: int) -> Instance:
    rng = random.Random(seed)
    months = tuple(range(1, rng.choice((2, 3)) + 1))
    participants = []
    for k in range(rng.randint(4, 7)):
        participants.append(
            Participant(
                id=k + 1,
                region=rng.choice((1, 1, 1, 2, None)),
                capacity=rng.randint(1, 4),
                months=frozenset(m for m in months if rng.random() < 0.8) or frozenset({1}),
                doctor=rng.random() < 0.4,
                psychologist=rng.random() < 0.4,
                conflicts=frozenset({rng.randint(1, 8)}) if rng.random() < 0.3 else frozenset(),
                eligible=rng.random() < 0.95,
            )
        )
    institutions = []
    for k in range(rng.randint(6, 8)):
        pinned_month = rng.choice(months) if rng.random() < 0.06 else None
        pinned = rng.random() < 0.03
        institutions.append(
            Institution(
                id=k + 1,
                risk=rng.randint(0, 100),
                region=rng.choice((1, 1, 2)),
                medical=rng.random() < 0.25,
                children=rng.random() < 0.25,
                required=rng.random() < 0.08,
                pinned=pinned,
                excluded=not pinned and pinned_month is None and rng.random() < 0.1,
                month=pinned_month,
            )
        )
    parameters = Parameters(
        budget=rng.randint(2, 5),
        months=months,
        team_size=3,
        reserved_percent=rng.choice((0, 0, 25)),
        neighbours={1: frozenset({2})} if rng.random() < 0.5 else {},
        monthly_limit=rng.choice((None, None, 1, 2)),
        time_limit_s=20,
    )
    return Instance(tuple(institutions), tuple(participants), parameters)


@pytest.mark.parametrize("seed", range(60))
def test_same_optimum_as_brute_force(seed):
    instance = random_instance(seed)
    expected = brute_force(instance)
    plan = solve(instance)
    if expected is None:
        assert plan.status == Status.INFEASIBLE
        assert plan.infeasibility is not None
        assert plan.infeasibility.institutions
        must = {i.id for i in instance.institutions if i.must_visit}
        assert set(plan.infeasibility.institutions) <= must
    else:
        assert plan.status == Status.OPTIMAL, plan
        assert plan.objective == expected == plan.bound
        assert plan.gap == 0
        assert check(instance, plan.visits) == []


@pytest.mark.parametrize("seed", range(40))
def test_priority_coverage_has_the_lexicographic_optimum_of_brute_force(seed):
    """As many required institutions as can be staffed, then the most risk; pins still bind."""
    base = random_instance(seed)
    more_required = tuple(
        replace(i, required=i.required or i.id % 3 == 0) for i in base.institutions
    )
    instance = Instance(
        more_required, base.participants, replace(base.parameters, coverage=Coverage.PRIORITY)
    )
    expected = brute_force_value(instance)
    plan = solve(instance)
    if expected is None:  # only pins can make it infeasible
        assert plan.status == Status.INFEASIBLE
        assert plan.infeasibility is not None
        pinned = {i.id for i in instance.institutions if i.pinned_in}
        assert set(plan.infeasibility.institutions) <= pinned
        return
    assert plan.status == Status.OPTIMAL, plan
    assert check(instance, plan.visits) == []
    soft = {i.id for i in more_required if i.required and not i.excluded and not i.pinned_in}
    visited = {v.institution for v in plan.visits}
    assert (len(visited & soft), plan.objective) == expected
    assert plan.bound == plan.objective
    assert plan.gap == 0
    assert set(plan.required_left_out) == soft - visited
    strict = solve(replace(instance, parameters=base.parameters))
    if strict.status == Status.OPTIMAL:  # every required one staffable: the same optimum
        assert not plan.required_left_out
        assert strict.objective == plan.objective


def test_the_priority_instances_leave_some_out_and_meet_all_in_others():
    left_out = 0
    for seed in range(40):
        base = random_instance(seed)
        instance = Instance(
            tuple(replace(i, required=i.required or i.id % 3 == 0) for i in base.institutions),
            base.participants,
            replace(base.parameters, coverage=Coverage.PRIORITY),
        )
        left_out += bool(solve(instance).required_left_out)
    assert 10 <= left_out <= 30


def test_the_random_instances_cover_both_answers():
    answers = [brute_force(random_instance(seed)) for seed in range(60)]
    assert sum(a is None for a in answers) >= 5
    assert sum(a is not None and a > 0 for a in answers) >= 30


# ---------------------------------------------------------------------------- teams from counts


@pytest.mark.parametrize("seed", range(200))
def test_counts_always_make_valid_teams(seed):
    """The decomposition's claim: slot counts at most n each, team_size * n in all, n doctor
    slots and n psychologist slots make n teams of distinct members with both experts."""
    rng = random.Random(seed)
    n = rng.randint(1, 6)
    roles = [(rng.random() < 0.3, rng.random() < 0.3) for _ in range(rng.randint(1, 8))]
    roles += [(True, rng.random() < 0.5), (rng.random() < 0.5, True)]  # one of each at least
    members = {
        k: Participant(id=k, region=1, capacity=9, doctor=d, psychologist=s)
        for k, (d, s) in enumerate(roles)
    }
    slots = dict.fromkeys(members, 0)
    order = list(members)
    rng.shuffle(order)
    for needed, flag in ((n, "doctor"), (n, "psychologist")):
        have = sum(slots[k] for k in members if getattr(members[k], flag))
        for k in order:
            if getattr(members[k], flag) and have < needed:
                add = min(n - slots[k], needed - have)
                slots[k] += add
                have += add
    room = 3 * n - sum(slots.values())
    for k in order:
        add = min(n - slots[k], room)
        slots[k] += add
        room -= add
    doctors = sum(v for k, v in slots.items() if members[k].doctor)
    psychologists = sum(v for k, v in slots.items() if members[k].psychologist)
    assert room == 0
    assert doctors >= n
    assert psychologists >= n
    teams = teams_from_counts(n, {k: v for k, v in slots.items() if v}, members)
    assert len(teams) == n
    for team in teams:
        assert len(team) == 3 == len(set(team))
        assert any(members[k].doctor for k in team)
        assert any(members[k].psychologist for k in team)


# ---------------------------------------------------------------------------- each rule


def test_conflict_of_interest_keeps_the_participant_off_the_team():
    team = people(4)
    team[0] = replace(team[0], conflicts=frozenset({1}))
    _, visits = plan_for([Institution(1, 50, 1)], team)
    assert len(visits) == 1
    assert team[0].id not in visits[0].team
    _, visits = plan_for([Institution(1, 50, 1)], team[:3])
    assert visits == []  # two without a conflict are not a team


def test_a_medical_institution_gets_a_doctor():
    team = [*people(3), replace(people(4)[3], doctor=True, capacity=2)]
    _, visits = plan_for([Institution(1, 50, 1, medical=True)], team)
    assert 103 in visits[0].team
    _, visits = plan_for([Institution(1, 50, 1, medical=True)], people(5))
    assert visits == []


def test_a_childrens_institution_gets_a_psychologist():
    team = [*people(3), replace(people(4)[3], psychologist=True)]
    _, visits = plan_for(
        [Institution(1, 50, 1, children=True), Institution(2, 40, 1, children=True)], team
    )
    assert len(visits) == 2
    assert all(103 in v.team for v in visits)


def test_a_medical_childrens_institution_gets_both():
    team = [
        *people(2),
        replace(people(3)[2], doctor=True),
        Participant(id=200, region=1, capacity=5, psychologist=True),
    ]
    _, visits = plan_for([Institution(1, 50, 1, medical=True, children=True)], team)
    assert {102, 200} <= set(visits[0].team)


def test_capacity_limits_the_visits_and_the_riskiest_are_chosen():
    team = [replace(x, capacity=2) for x in people(3)]
    institutions = [Institution(k, risk, 1) for k, risk in ((1, 10), (2, 30), (3, 20))]
    _, visits = plan_for(institutions, team, reserved_percent=0)
    assert sorted(v.institution for v in visits) == [2, 3]


def test_the_reserved_share_is_kept_for_special_visits():
    team = [replace(x, capacity=2) for x in people(3)]
    institutions = [Institution(k, 10 * k, 1) for k in (1, 2)]
    _, visits = plan_for(institutions, team, reserved_percent=50)
    assert [v.institution for v in visits] == [2]
    assert effective_capacity(team[0], replace(FAST, reserved_percent=50)) == 1


def test_availability_sets_the_month():
    team = [
        replace(x, months=frozenset(months))
        for x, months in zip(people(3), ({1, 2}, {2, 3}, {2}), strict=True)
    ]
    _, visits = plan_for([Institution(1, 50, 1)], team)
    assert visits[0].month == 2


def test_an_ineligible_participant_is_never_on_a_team():
    team = people(4)
    team[1] = replace(team[1], eligible=False)
    _, visits = plan_for([Institution(1, 50, 1), Institution(2, 40, 1)], team)
    assert all(101 not in v.team for v in visits)
    assert len(visits) == 2


def test_travel_to_neighbours_and_national_staff():
    away = [replace(x, region=2) for x in people(3)]
    _, visits = plan_for([Institution(1, 50, 1)], away)
    assert visits == []  # another region, not a neighbour
    _, visits = plan_for([Institution(1, 50, 1)], away, neighbours={2: frozenset({1})})
    assert len(visits) == 1
    national = [*away[:2], replace(people(3)[2], region=None)]
    _, visits = plan_for([Institution(1, 50, 2), Institution(2, 40, 1)], national)
    assert [v.institution for v in visits] == [1]  # only the national member reaches region 1


def test_required_institutions_come_before_riskier_ones():
    institutions = [Institution(1, 5, 1, required=True), Institution(2, 90, 1)]
    _, visits = plan_for(institutions, people(3), budget=1)
    assert [(v.institution, v.why) for v in visits] == [(1, "required")]


def test_pins_and_exclusions():
    institutions = [
        Institution(1, 90, 1, excluded=True),
        Institution(2, 5, 1, month=3),
        Institution(3, 7, 1, pinned=True),
        Institution(4, 80, 1),
    ]
    _, visits = plan_for(institutions, people(6), budget=2)
    by_id = {v.institution: v for v in visits}
    assert set(by_id) == {2, 3}
    assert by_id[2].month == 3
    assert by_id[2].why == "pinned"


def test_the_monthly_limit_spreads_the_visits():
    team = [replace(x, months=frozenset({1, 2})) for x in people(6)]
    institutions = [Institution(k, 10, 1) for k in range(1, 5)]
    _, visits = plan_for(institutions, team, monthly_limit=1, budget=4)
    assert sorted(v.month for v in visits) == [1, 2]


def test_more_required_than_the_budget_is_explained():
    institutions = [Institution(k, 10, 1, required=True) for k in (1, 2, 3)]
    plan = solve(Instance(tuple(institutions), tuple(people(9)), replace(FAST, budget=2)))
    assert plan.status == Status.INFEASIBLE
    assert plan.infeasibility is not None
    assert plan.infeasibility == Infeasibility(Reason.BUDGET, (1, 2, 3), plan.infeasibility.detail)


def test_a_required_institution_no_team_can_visit_is_named():
    institutions = [
        Institution(1, 10, 1, required=True),
        Institution(2, 10, 1, required=True, medical=True),
    ]
    plan = solve(Instance(tuple(institutions), tuple(people(4)), FAST))
    assert plan.status == Status.INFEASIBLE
    assert plan.infeasibility is not None
    assert (plan.infeasibility.reason, plan.infeasibility.institutions) == (Reason.NO_TEAM, (2,))


def test_required_institutions_that_cannot_be_staffed_together_are_named():
    team = [replace(x, capacity=1) for x in people(3)]
    institutions = [
        Institution(1, 10, 1, required=True),
        Institution(2, 10, 1, required=True),
        Institution(3, 10, 2, required=True),  # region 2: nobody travels there
        Institution(4, 99, 1),
    ]
    plan = solve(Instance(tuple(institutions), tuple(team), replace(FAST, reserved_percent=0)))
    assert plan.infeasibility is not None
    assert (plan.infeasibility.reason, plan.infeasibility.institutions) == (Reason.NO_TEAM, (3,))
    plan = solve(
        Instance(
            tuple(institutions[:2] + institutions[3:]),
            tuple(team),
            replace(FAST, reserved_percent=0),
        )
    )
    assert plan.status == Status.INFEASIBLE
    assert plan.infeasibility is not None
    assert (plan.infeasibility.reason, plan.infeasibility.institutions) == (Reason.TOGETHER, (1, 2))


def test_pinned_and_excluded_at_once_is_refused():
    institutions = [Institution(1, 10, 1, pinned=True, excluded=True)]
    plan = solve(Instance(tuple(institutions), tuple(people(3)), FAST))
    assert plan.infeasibility is not None
    assert plan.infeasibility.reason == Reason.INVALID


def test_check_reports_each_broken_rule():
    instance = Instance(
        (Institution(1, 10, 1, medical=True), Institution(2, 10, 1, required=True)),
        (Participant(1, 1, capacity=1, conflicts=frozenset({1})), *people(2)),
        FAST,
    )
    problems = check(instance, [Visit(1, 1, (1, 100, 101), 10, "risk")])
    assert "institution 1: no doctor" in problems
    assert "participant 1 conflicted at 1" in problems
    assert "institution 2 must be visited" in problems
