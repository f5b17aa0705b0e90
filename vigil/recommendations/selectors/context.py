"""The recommendations shown on other apps' pages: those about an institution (its page in
the registry) and those of a visit (the visit's page), each within what the viewer may see,
bounded to the latest few with the count per status (the list, filtered, shows all)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, QuerySet

from vigil.accounts.models import User
from vigil.registry.models import Institution
from vigil.visits.models import Finding, Visit

from ..enums import State
from ..models import Recommendation
from .core import recommendation_list

LATEST = 10
"""How many recommendations an institution's page lists (latest issued first)."""
VISIT_LATEST = 50
"""How many a visit's page lists (a visit's report rarely gives more)."""


@dataclass(frozen=True)
class StatusCount:
    state: str
    label: Any
    count: int


@dataclass(frozen=True)
class RecommendationSummary:
    latest: list[Recommendation]
    total: int
    by_status: list[StatusCount]


def _summary(qs: QuerySet[Recommendation], limit: int) -> RecommendationSummary:
    counts = {
        row["state"]: row["n"] for row in qs.order_by().values("state").annotate(n=Count("pk"))
    }
    by_status = [StatusCount(s, label, counts[s]) for s, label in State.choices if counts.get(s)]
    latest = list(qs.order_by(F("issued_on").desc(nulls_first=True), "-pk")[:limit])
    return RecommendationSummary(latest, sum(c.count for c in by_status), by_status)


def recommendations_about_institution(
    user: User | None, institution: Institution
) -> RecommendationSummary:
    """The recommendations about the institution that the viewer may see."""
    return _summary(recommendation_list(user).filter(institution=institution), LATEST)


def recommendations_of_finding(user: User | None, finding: Finding) -> RecommendationSummary:
    """The recommendations that answer the finding, among those the viewer may see."""
    return _summary(recommendation_list(user).filter(findings=finding), VISIT_LATEST)


def recommendations_of_visit(user: User | None, visit: Visit) -> RecommendationSummary:
    """The recommendations made after the visit that the viewer may see."""
    return _summary(recommendation_list(user).filter(visit=visit), VISIT_LATEST)
