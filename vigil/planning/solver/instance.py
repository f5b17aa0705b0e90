"""The problem's plain data: the instance (institutions, participants, parameters) and the
plan (visits, status, infeasibility), and who may join which visit."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

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

    @property
    def pinned_in(self) -> bool:
        """Pinned in by hand (a constraint whatever the coverage mode)."""
        return not self.excluded and (self.pinned or self.month is not None)

    def must_visit_under(self, coverage: Coverage) -> bool:
        """Must be visited: pinned in, or required when the coverage rules are strict."""
        return self.pinned_in or (
            coverage == Coverage.STRICT and self.required and not self.excluded
        )


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


class Coverage(StrEnum):
    """How the coverage rules bind the plan."""

    STRICT = "strict"  # every required institution is visited, or there is no plan (explained)
    PRIORITY = "priority"  # as many required institutions as can be staffed, then the most risk


@dataclass(frozen=True)
class Parameters:
    budget: int = 500  # visits in the year
    months: tuple[int, ...] = MONTHS
    team_size: int = 3
    reserved_percent: int = 20  # of each participant's capacity, kept for special visits
    # region -> the other regions its participants also travel to (not made symmetric)
    neighbours: Mapping[int, frozenset[int]] = field(default_factory=dict)
    monthly_limit: int | None = None  # visits a month, all regions together
    coverage: Coverage = Coverage.STRICT
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
    # Coverage.PRIORITY: the required institutions (not pinned) the plan leaves out, sorted
    required_left_out: tuple[int, ...] = ()


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
