"""The annual visit plan's optimiser at national scale (issue 11): `make bench` solves the
national instance and records the wall time, the status and the gap to the proven bound.

First measure (`demo_plan_measure`, run by bench/run.py on the national demo database): the
plan as the plan page computes it, from the data (about 3,000 institutions, the demo
participants with their own capacity and availability) through `build_instance`.

The other two measures: the instance is synthetic and deterministic (no database): the institution types and their
national counts of the demo data (`vigil/demo/data/kz/demo_profiles.json`, about 3,000) spread
over Kazakhstan's 20 regions in proportion to their population, each with a risk score drawn
around its category's weight; the participants are the national demo's numbers (120 and the
demo monitor, the demo's profession shares, nine in ten with a home region, a dozen conflicts
of interest, one in ten no longer eligible), each with a capacity of 12 to 20 visits a year and
two months off; they travel to their region's neighbours. Coverage rules make every
penitentiary institution and pre-trial centre required, and the children's institutions due
this year (about one in five). The budget is 500 visits, teams of three, a fifth of the
capacity reserved for special visits, at most 60 visits a month. Two workers, a 30 s budget:
the plan must be proven optimal or within 1%, and valid (`check`). A second measure takes
another seed of the generator, whose required visits cannot all be staffed (with the demo's
share of psychologists, some regions' children's institutions are out of reach): the answer
must name the institutions concerned, within the same budget.

The results go to bench/results/planning.json (the other groups' format; no database is
involved). Run alone: `.venv/bin/python bench/planning.py` (the same measure and file).
"""

import json
import math
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from vigil.planning.solver import (  # noqa: E402
    Instance,
    Institution,
    Parameters,
    Participant,
    Status,
    check,
    solve,
)

BUDGET_S = 30.0
GAP_LIMIT = 0.01
RUNS = 3
PARTICIPANTS = 121  # the national demo's 120 and the demo monitor (vigil/demo/people.py)
# The national demo's profession shares (vigil/demo/people.py: PROFESSION_WEIGHTS);
# a psychiatrist counts as a doctor.
PROFESSIONS = {
    "lawyer": 0.28,
    "ngo_member": 0.24,
    "doctor": 0.16,
    "psychologist": 0.12,
    "social_worker": 0.12,
    "psychiatrist": 0.06,
    "other": 0.02,
}
# Kazakhstan's regions (ISO 3166-2 numbers) with their population in thousands (rounded).
POPULATION = {
    10: 600, 11: 790, 15: 930, 19: 1500, 23: 690, 27: 690, 31: 1210, 33: 690, 35: 1130,
    39: 830, 43: 830, 47: 770, 55: 750, 59: 530, 61: 2100, 62: 220, 63: 730, 71: 1400,
    75: 2200, 79: 1200,
}  # fmt: skip
NEIGHBOURS = {
    10: {63, 35, 55, 33}, 11: {59, 39, 35, 55, 71}, 15: {27, 23, 47, 39, 43, 62},
    19: {75, 33, 31, 35}, 23: {27, 15, 47}, 27: {23, 15}, 31: {19, 35, 61, 62},
    33: {19, 10, 35}, 35: {11, 55, 10, 33, 19, 31, 62}, 39: {59, 11, 15, 62},
    43: {15, 62, 61}, 47: {23, 15}, 55: {11, 59, 35, 10}, 59: {39, 11, 55},
    61: {43, 62, 31, 79}, 62: {35, 39, 15, 43, 61, 31}, 63: {10}, 71: {11}, 75: {19}, 79: {61},
}  # fmt: skip
PENAL = {
    "SIZO", "COLONY_MIN", "COLONY_MEDIUM", "COLONY_MAX", "COLONY_EXTREME", "COLONY_MIXED",
    "COLONY_MINORS", "PENAL_MEDICAL", "KNB_SIZO",
}  # fmt: skip
MEDICAL = {
    "PENAL_MEDICAL", "PSYCH_HOSPITAL", "PSYCH_FORENSIC", "DRUG_TREATMENT", "TB_COMPULSORY",
    "PNI", "PNI_CHILDREN", "INFANT_HOME",
}  # fmt: skip
CHILDREN = {
    "COLONY_MINORS", "INFANT_HOME", "PNI_CHILDREN", "ORPHANAGE", "JUV_ADAPTATION",
    "SPECIAL_SCHOOL", "SPECIAL_REGIME_SCHOOL", "MINORS_CORRECTIONAL",
}  # fmt: skip
# Category weight of the risk score (closed and high-security places weigh more).
WEIGHT = {
    "COLONY_EXTREME": 700, "COLONY_MAX": 620, "PSYCH_FORENSIC": 640, "SIZO": 560,
    "KNB_SIZO": 600, "COLONY_MEDIUM": 480, "COLONY_MIXED": 460, "COLONY_MINORS": 560,
    "PENAL_MEDICAL": 520, "COLONY_MIN": 320, "IVS": 300, "SPECIAL_PREMISES": 110,
    "SPECIAL_RECEPTION": 240, "FOREIGNERS_CENTRE": 300, "RECEPTION_CENTRE": 250,
    "GUARDHOUSE": 220, "PSYCH_HOSPITAL": 460, "DRUG_TREATMENT": 380, "TB_COMPULSORY": 360,
    "INFANT_HOME": 400, "SOCIAL_CARE_HOME": 330, "PNI": 480, "PNI_CHILDREN": 520,
    "ORPHANAGE": 340, "JUV_ADAPTATION": 420, "SPECIAL_SCHOOL": 360,
    "SPECIAL_REGIME_SCHOOL": 500, "MINORS_CORRECTIONAL": 540,
}  # fmt: skip


def _profiles() -> list[tuple[str, int]]:
    path = ROOT / "vigil" / "demo" / "data" / "kz" / "demo_profiles.json"
    profiles = json.loads(path.read_text(encoding="utf-8"))["profiles"]
    return [(p["code"], int(p["count"]["national"])) for p in profiles]


def national_instance(seed: int = 1) -> Instance:
    """The national instance (deterministic for the seed)."""
    rng = random.Random(seed)
    regions = sorted(POPULATION)
    weights = [POPULATION[r] for r in regions]
    institutions: list[Institution] = []
    for code, count in _profiles():
        for _ in range(count):
            number = len(institutions) + 1
            risk = WEIGHT.get(code, 300) * math.exp(rng.gauss(0, 0.45))
            children = code in CHILDREN
            due = code in PENAL or (children and rng.random() < 0.2)
            institutions.append(
                Institution(
                    id=number,
                    risk=min(1000, round(risk)),
                    region=rng.choices(regions, weights=weights)[0],
                    medical=code in MEDICAL,
                    children=children,
                    required=due,
                )
            )
    participants: list[Participant] = []
    for number in range(1, PARTICIPANTS + 1):
        profession = rng.choices(list(PROFESSIONS), weights=list(PROFESSIONS.values()))[0]
        region = rng.choices(regions, weights=weights)[0] if rng.random() < 0.9 else None
        off = set(rng.sample(range(1, 13), 2))
        participants.append(
            Participant(
                id=number,
                region=region,
                capacity=rng.randint(12, 20),
                months=frozenset(m for m in range(1, 13) if m not in off),
                doctor=profession in ("doctor", "psychiatrist"),
                psychologist=profession == "psychologist",
                eligible=rng.random() >= 0.1,
            )
        )
    for participant in rng.sample(participants, 12):  # a dozen declared conflicts
        local = [i for i in institutions if i.region == participant.region] or institutions
        conflict = frozenset({rng.choice(local).id})
        participants[participant.id - 1] = Participant(
            **{**participant.__dict__, "conflicts": conflict}
        )
    parameters = Parameters(
        budget=500,
        team_size=3,
        reserved_percent=20,
        neighbours={r: frozenset(n) for r, n in NEIGHBOURS.items()},
        monthly_limit=60,
        time_limit_s=BUDGET_S - 2,  # building the models and the teams fit in the rest
        workers=2,
        gap_limit=0.0,
    )
    return Instance(tuple(institutions), tuple(participants), parameters)


def _plan_row(
    name: str, instance: Instance, plans: list[Any], times: list[float], **extra: Any
) -> dict[str, Any]:
    """One measure's row: median and worst time, and the slowest run's status, gap and size.
    The check: every plan valid (`check`), proven optimal or within 1%, each run in budget."""
    worst = plans[times.index(max(times))]
    valid = all(
        p.status in (Status.OPTIMAL, Status.FEASIBLE)
        and p.gap <= GAP_LIMIT
        and not check(instance, p.visits)
        for p in plans
    )
    row = {
        "name": name,
        "median_ms": round(statistics.median(times), 1),
        "max_ms": round(max(times), 1),
        "queries": 0,
        "budget_ms": BUDGET_S * 1000,
        "within_budget": max(times) <= BUDGET_S * 1000,
        "check_passed": valid,
        "runs": RUNS,
        "status": str(worst.status),
        "gap": round(worst.gap, 6),
        "objective": worst.objective,
        "bound": worst.bound,
        "visits": len(worst.visits),
        "due": sum(1 for i in instance.institutions if i.required),
        "due_left_out": len(worst.required_left_out),
        "candidates": worst.candidates,
        "institutions": len(instance.institutions),
        "participants": len(instance.participants),
        **extra,
    }
    print(
        f"{name:50s} {row['median_ms']:8.1f} ms (max {row['max_ms']:.1f}, "
        f"{row['status']}, gap {row['gap']:.4%}, {row['visits']} visits, "
        f"{row['due_left_out']} of {row['due']} due left out, {row['candidates']} candidates) "
        f"{'ok' if row['within_budget'] and valid else 'FAIL'}"
    )
    return row


def planning_measures(seed: int = 1) -> list[dict[str, Any]]:
    """Solve the synthetic national instance RUNS times (see `_plan_row`), then the
    unstaffable variant (`_explained`)."""
    instance = national_instance(seed)
    plans = [solve(instance) for _ in range(RUNS)]
    times = [p.wall_s * 1000 for p in plans]
    row = _plan_row("national visit plan (CP-SAT, 2 workers)", instance, plans, times)
    return [row, _explained(seed=2)]


def demo_plan_measure() -> dict[str, Any]:
    """The plan a coordinator computes on the national demo database: `build_instance` (risk
    scores, coverage rules, eligibility, the participants' capacity and availability, the
    regions' neighbours) then `solve`, with the plan page's defaults (500 visits, teams of
    three, a fifth reserved, coverage rules by priority) and two workers. Timed together, RUNS
    times, checked as `_plan_row` says."""
    from django.utils import timezone  # Django set up by bench/run.py

    from vigil.planning import proposals

    year = timezone.localdate().year + 1
    times, plans = [], []
    for _ in range(RUNS):
        start = time.perf_counter()
        instance = proposals.build_instance(year, {}, {"time_limit_s": BUDGET_S - 5})
        plans.append(solve(instance))
        times.append((time.perf_counter() - start) * 1000)
    return _plan_row(
        "national plan from the demo database (build + solve)",
        instance,
        plans,
        times,
        participant_capacity=sum(p.capacity for p in instance.participants),
    )


def _explained(seed: int) -> dict[str, Any]:
    """Another seed of the same generator whose required visits cannot all be staffed (too few
    psychologists reach some regions' children's institutions): the answer must say which."""
    instance = national_instance(seed)
    must = {i.id for i in instance.institutions if i.must_visit}
    plans = [solve(instance) for _ in range(RUNS)]
    times = [p.wall_s * 1000 for p in plans]
    explained = all(
        p.status == Status.INFEASIBLE
        and p.infeasibility is not None
        and p.infeasibility.institutions
        and set(p.infeasibility.institutions) <= must
        for p in plans
    )
    last = plans[-1].infeasibility
    row = {
        "name": "national plan, unstaffable required visits named",
        "median_ms": round(statistics.median(times), 1),
        "max_ms": round(max(times), 1),
        "queries": 0,
        "budget_ms": BUDGET_S * 1000,
        "within_budget": max(times) <= BUDGET_S * 1000,
        "check_passed": explained,
        "runs": RUNS,
        "status": str(plans[-1].status),
        "reason": str(last.reason) if last else None,
        "named": len(last.institutions) if last else 0,
        "required": len(must),
    }
    print(
        f"{row['name']:50s} {row['median_ms']:8.1f} ms (max {row['max_ms']:.1f}, "
        f"{row['reason']}: {row['named']} named) "
        f"{'ok' if row['within_budget'] and explained else 'FAIL'}"
    )
    return row


def write_planning_results(path: Path, rows: list[dict[str, Any]]) -> None:
    """bench/harness.py's `write_results` format, without a database."""
    path.parent.mkdir(parents=True, exist_ok=True)
    facts = {
        "database": None,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "repeats": RUNS,
        "results": rows,
    }
    path.write_text(json.dumps(facts, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    rows = planning_measures()
    write_planning_results(ROOT / "bench" / "results" / "planning.json", rows)
    sys.exit(0 if all(r["within_budget"] and r["check_passed"] for r in rows) else 1)
