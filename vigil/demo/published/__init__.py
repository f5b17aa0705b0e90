"""Synthetic data that reproduces the NPM's published figures, for the analytics (dashboard,
consolidated annual report, open data) to be checked against:

- 2023: 461 preventive visits (422 planned, 33 special, 6 of other kinds: 2 follow-up,
  2 thematic, 2 joint) to 474 institutions of the ministries of the interior (its
  penitentiary committee and police), education, labour and social protection, health,
  defence and the national security committee; 3,012 recommendations ("more than 3,000"),
  1,205 implemented (40.0%, "about 40%"); 258 officials brought to justice on the
  Commissioner's representatives' proposals and 17 on NPM participants' initiative.
- 2021: the Penitentiary System Committee's tally: 758 recommendations, 275 implemented,
  456 in implementation, 27 not accepted (36.3%).

`build_published_figures()` writes exactly that on a database holding the Kazakhstan reference
data (`seed_reference_data`) and no visits: its own synthetic institutions (external codes
`PUB-…`), participants and coordinator (`…@npm.published.vigil`, no usable password), through
the services' bulk paths, in a few seconds. Deterministic for a seed (the figures never depend
on it; names, dates, teams and states' order do). `manage.py generate_demo_data
--published-figures` loads it.
"""

import random
from dataclasses import dataclass, field

from django.db import transaction

from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record
from vigil.recommendations.enums import State
from vigil.recommendations.tally import TALLY_OF_STATE
from vigil.visits.models import Visit

from ..registry import DemoDataError
from .accountability import OFFICIALS, accountability_2023
from .recommendations import KUIS_STATES_2021, STATES_2023, kuis_2021, recommendations_2023
from .visits import published_visits
from .world import COORDINATOR_EMAIL, published_world

__all__ = [
    "COORDINATOR_EMAIL",
    "KUIS_STATES_2021",
    "OFFICIALS",
    "STATES_2023",
    "PublishedSummary",
    "build_published_figures",
]


@dataclass(frozen=True)
class PublishedSummary:
    """The figures written, as the published text gives them (for tests to compare)."""

    institutions: int  # created: every one visited in 2023
    participants: int
    visits_2023: int
    visits_by_type_2023: dict[str, int]
    institutions_visited_2023: int
    recommendations_2023: int
    tally_2023: dict[str, int]  # implemented, in_implementation, not_accepted (official tally)
    no_response_2023: int
    officials_2023: dict[str, int]  # by initiative: one accountability record per official
    kuis_2021: dict[str, int] = field(default_factory=dict)  # issued and the official tally

    @property
    def implementation_rate_2023(self) -> float:
        return round(100 * self.tally_2023["implemented"] / self.recommendations_2023, 1)

    @property
    def kuis_implementation_rate_2021(self) -> float:
        return round(100 * self.kuis_2021["implemented"] / self.kuis_2021["issued"], 1)


def _tally(states: list[str]) -> dict[str, int]:
    counts = {"implemented": 0, "in_implementation": 0, "not_accepted": 0}
    for state in states:
        tally = TALLY_OF_STATE.get(state)
        if tally is not None:
            counts[str(tally)] += 1
    return counts


@transaction.atomic
def build_published_figures(*, seed: int = 0) -> PublishedSummary:
    """Write the data set (see the module's docstring); refuses a database with visits."""
    if Visit.objects.exists():
        raise DemoDataError(
            "The published figures need a database without visits (their counts would not be "
            "exact): use an empty database with only the reference data."
        )
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    world = published_world(random.Random(rng.getrandbits(64)))  # noqa: S311
    visits = published_visits(world, random.Random(rng.getrandbits(64)))  # noqa: S311
    recs_2023 = recommendations_2023(world, visits, random.Random(rng.getrandbits(64)))  # noqa: S311
    recs_2021 = kuis_2021(world, random.Random(rng.getrandbits(64)))  # noqa: S311
    records = accountability_2023(visits, random.Random(rng.getrandbits(64)))  # noqa: S311
    by_type: dict[str, int] = {}
    for v in visits:
        by_type[str(v.visit.type)] = by_type.get(str(v.visit.type), 0) + 1
    officials = {str(initiative): 0 for initiative in OFFICIALS}
    for record in records:
        officials[record.initiative] += 1
    summary = PublishedSummary(
        institutions=len(world.institutions),
        participants=len(world.participants),
        visits_2023=len(visits),
        visits_by_type_2023=dict(sorted(by_type.items())),
        institutions_visited_2023=len({i.pk for v in visits for i in v.institutions}),
        recommendations_2023=len(recs_2023),
        tally_2023=_tally([r.state for r in recs_2023]),
        no_response_2023=sum(r.state == State.NO_RESPONSE for r in recs_2023),
        officials_2023=officials,
        kuis_2021={"issued": len(recs_2021), **_tally([r.state for r in recs_2021])},
    )
    audit_record(
        actor=None,
        action=AuditAction.DEMO_DATA_GENERATED,
        data={"kind": "published_figures", "seed": seed, "visits": len(visits)},
    )
    return summary
