"""The plan of the appeals demo data: how many appeals, art. 146 cases (by outcome),
accountability records and incidents each year holds. A pure function of the scale, the year
and today (no database, no randomness), so the published shape can be checked without
writing a row: at national scale 2021 has 665 cases registered in January–November, 75% of
them terminated for lack of evidence, and 163 appeals about correctional institutions; 2023
has 398 registered cases of which 18 went to court (4.52%), and 258 officials held to account
on the Commissioner's representatives' proposals and 17 on NPM participants' initiative.

The rows are then drawn from this plan (`.appeals`, `.cases`, `.incidents`)."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from vigil.appeals.enums import CaseState, IncidentKind, Initiative, TerminationGround

from ..scales import at_every_scale

C = CaseState
G = TerminationGround


@dataclass(frozen=True)
class ScaleSpec:
    years: int  # the current one included
    factor: float  # share of the national figures


_SPECS: dict[str, ScaleSpec] = {
    "demo": ScaleSpec(years=3, factor=0.1),
    "national": ScaleSpec(years=10, factor=1.0),
}

# A multiple scale keeps its basis's years, with its figures multiplied.
SCALES: dict[str, ScaleSpec] = at_every_scale(_SPECS, "factor")

# National figures by year; a year not listed gets the default (similar magnitude).
APPEALS: dict[int, int] = {
    2017: 1540,
    2018: 1560,
    2019: 1580,
    2020: 1590,
    2021: 1620,
    2022: 1610,
    2023: 1630,
    2024: 1610,
    2025: 1640,
    2026: 1620,
}
APPEALS_DEFAULT = 1600
CORRECTIONAL: dict[int, int] = {2021: 163}  # appeals about correctional institutions
CORRECTIONAL_SHARE = 0.10
CASES: dict[int, int] = {
    2017: 540,
    2018: 590,
    2019: 620,
    2020: 640,
    2021: 665,
    2022: 470,
    2023: 398,
    2024: 380,
    2025: 360,
    2026: 340,
}
CASES_DEFAULT = 400
CASE_MONTHS: dict[int, int] = {2021: 11}  # 2021's figure covers January to November
COURT: dict[int, int] = {2023: 18}
COURT_SHARE = 0.045
REFUSED_SHARE = 0.06  # reports whose registration was refused, on top of the registered
ACCOUNTABILITY: dict[int, tuple[int, int]] = {  # (Commissioner's representatives, NPM)
    2017: (190, 9),
    2018: (205, 11),
    2019: (221, 12),
    2020: (198, 8),
    2021: (236, 14),
    2022: (247, 15),
    2023: (258, 17),
    2024: (262, 19),
    2025: (255, 18),
    2026: (240, 16),
}
ACCOUNTABILITY_DEFAULT = (240, 15)
INCIDENTS: dict[str, int] = {
    IncidentKind.REPRISAL: 24,
    IncidentKind.DEATH_IN_CUSTODY: 38,
    IncidentKind.SELF_HARM: 55,
    IncidentKind.ACCESS_OBSTRUCTION: 9,
}

# What happens to the registered cases that neither went to court nor were terminated for
# lack of evidence, by age in years (0: this year). Weights.
OTHER_OUTCOMES: dict[int, dict[tuple[str, str], float]] = {
    0: {
        (C.REGISTERED, ""): 0.2,
        (C.INVESTIGATION, ""): 0.55,
        (C.CHARGED, ""): 0.05,
        (C.SUSPENDED, ""): 0.05,
        (C.TERMINATED, G.NO_CRIME): 0.15,
    },
    1: {
        (C.INVESTIGATION, ""): 0.4,
        (C.CHARGED, ""): 0.05,
        (C.SUSPENDED, ""): 0.15,
        (C.TERMINATED, G.NO_CRIME): 0.3,
        (C.TERMINATED, G.RECLASSIFIED): 0.1,
    },
    2: {
        (C.SUSPENDED, ""): 0.25,
        (C.TERMINATED, G.NO_CRIME): 0.4,
        (C.TERMINATED, G.RECLASSIFIED): 0.2,
        (C.TERMINATED, G.AMNESTY): 0.1,
        (C.TERMINATED, G.OTHER): 0.05,
    },
}
LACK_OF_EVIDENCE_SHARE: dict[int, float] = {0: 0.35, 1: 0.6, 2: 0.75}
REACHED_COURT = frozenset({C.IN_COURT, C.CONVICTED, C.ACQUITTED, C.FINAL})


@dataclass(frozen=True)
class YearPlan:
    year: int
    appeals: int
    correctional: int  # of the appeals, about correctional institutions
    case_months: int  # cases are reported from January to this month
    cases: Counter[tuple[str, str]]  # (state, termination ground) → count
    accountability: dict[str, int]  # initiative → count
    incidents: dict[str, int] = field(default_factory=dict)

    @property
    def registered_cases(self) -> int:
        return sum(
            n
            for (state, _g), n in self.cases.items()
            if state not in (C.REPORTED, C.REGISTRATION_REFUSED)
        )

    @property
    def court_cases(self) -> int:
        return sum(n for (state, _g), n in self.cases.items() if state in REACHED_COURT)

    @property
    def lack_of_evidence(self) -> int:
        return self.cases[(C.TERMINATED, G.LACK_OF_EVIDENCE)]


def apportion[K](total: int, weights: dict[K, float]) -> Counter[K]:
    """`total` split by `weights` in whole numbers that add up exactly (largest remainder)."""
    whole = sum(weights.values())
    if total <= 0 or whole <= 0:
        return Counter()
    shares = {k: total * w / whole for k, w in weights.items()}
    counts = Counter({k: int(v) for k, v in shares.items()})
    rest = total - sum(counts.values())
    for k in sorted(shares, key=lambda k: shares[k] - int(shares[k]), reverse=True)[:rest]:
        counts[k] += 1
    return +counts


def _scaled(value: int, factor: float, *, floor: int = 0) -> int:
    return max(floor, round(value * factor)) if value else 0


def court_outcomes(court: int, age: int) -> Counter[tuple[str, str]]:
    """Cases sent to court: pending in court this year, convicted last year, final before."""
    outcomes: Counter[tuple[str, str]] = Counter()
    acquitted = court // 10
    if age == 0:
        outcomes[(C.IN_COURT, "")] = court
    elif age == 1:
        outcomes[(C.IN_COURT, "")] = court // 3
        outcomes[(C.ACQUITTED, "")] = acquitted
        outcomes[(C.CONVICTED, "")] = court - court // 3 - acquitted
    else:
        outcomes[(C.ACQUITTED, "")] = acquitted
        outcomes[(C.FINAL, "")] = court - acquitted
    return +outcomes


def case_outcomes(registered: int, court: int, age: int) -> Counter[tuple[str, str]]:
    """The registered cases of a year by state: `court` reached court, a share terminated for
    lack of evidence (75% once the year is two years old), the rest spread by age."""
    bucket = min(age, 2)
    lack = round(registered * LACK_OF_EVIDENCE_SHARE[bucket])
    outcomes = court_outcomes(court, age)
    outcomes[(C.TERMINATED, G.LACK_OF_EVIDENCE)] = lack
    outcomes.update(apportion(registered - court - lack, OTHER_OUTCOMES[bucket]))
    return +outcomes


def year_plan(scale: str, year: int, today: datetime.date) -> YearPlan:
    """What `year` holds at `scale` (counts; the rows are drawn from it)."""
    factor = SCALES[scale].factor
    age = today.year - year
    appeals = _scaled(APPEALS.get(year, APPEALS_DEFAULT), factor)
    correctional = _scaled(
        CORRECTIONAL.get(year, round(APPEALS.get(year, APPEALS_DEFAULT) * CORRECTIONAL_SHARE)),
        factor,
    )
    registered = _scaled(CASES.get(year, CASES_DEFAULT), factor)
    court = _scaled(COURT.get(year, round(CASES.get(year, CASES_DEFAULT) * COURT_SHARE)), factor)
    cases = case_outcomes(registered, court, age)
    refused = round(registered * REFUSED_SHARE)
    if refused:
        cases[(C.REGISTRATION_REFUSED, "")] = refused
    if age == 0:  # reported lately, not yet registered
        cases[(C.REPORTED, "")] = max(1, round(registered * 0.04))
    commissioner, npm = ACCOUNTABILITY.get(year, ACCOUNTABILITY_DEFAULT)
    incidents = {kind: _scaled(n, factor, floor=1) for kind, n in INCIDENTS.items()}
    return YearPlan(
        year=year,
        appeals=appeals,
        correctional=correctional,
        case_months=CASE_MONTHS.get(year, 12),
        cases=cases,
        accountability={
            Initiative.COMMISSIONER_REPRESENTATIVE: _scaled(commissioner, factor),
            Initiative.NPM_PARTICIPANT: _scaled(npm, factor, floor=1),
        },
        incidents=incidents,
    )


def years(scale: str, today: datetime.date) -> list[int]:
    return list(range(today.year - SCALES[scale].years + 1, today.year + 1))


def plan(scale: str, today: datetime.date) -> list[YearPlan]:
    """The whole data set's plan, oldest year first."""
    return [year_plan(scale, year, today) for year in years(scale, today)]
