"""What the visits know about one institution, for its page in the registry: the visits made
there, the findings recorded there and the access incidents met there, each within what the viewer may see, bounded to the
latest few with the totals (the visits list, filtered by the institution, shows all)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from vigil.accounts.models import User
from vigil.registry.models import Institution

from ..enums import AccessIncidentKind, Severity, VisitState
from ..models import AccessIncident, Finding, Visit
from ..permissions import findings_visible_to, visits_visible_to, working_material_visible_to

LATEST = 10
"""How many visits and findings the institution page lists (newest first)."""


@dataclass(frozen=True)
class Tally:
    """One line of a count per category: its code, its label and how many."""

    code: str
    label: Any
    count: int


@dataclass(frozen=True)
class PlaceVisits:
    latest: list[Visit]
    total: int
    by_state: list[Tally]


@dataclass(frozen=True)
class PlaceFindings:
    latest: list[Finding]
    total: int
    by_severity: list[Tally]
    incidents: list[AccessIncident]
    incidents_total: int
    incidents_by_kind: list[Tally]


def _tallies(qs: QuerySet[Any], field: str, choices: Any) -> list[Tally]:
    counts = {row[field]: row["n"] for row in qs.values(field).annotate(n=Count("pk"))}
    return [Tally(code, label, counts[code]) for code, label in choices if counts.get(code)]


def visits_at_institution(user: User | None, institution: Institution) -> PlaceVisits:
    """The visits the viewer may see that took (or will take) the team to the institution."""
    qs = visits_visible_to(user).filter(
        pk__in=Visit.objects.filter(institutions=institution).values("pk")
    )
    latest = list(qs.select_related("region").order_by("-planned_start", "-pk")[:LATEST])
    by_state = _tallies(qs.order_by(), "state", VisitState.choices)
    return PlaceVisits(latest, sum(t.count for t in by_state), by_state)


def findings_at_institution(user: User | None, institution: Institution) -> PlaceFindings:
    """The findings recorded and the access incidents met (delays, refusals, obstruction) at
    the institution, on the visits whose working material the viewer reads."""
    qs = findings_visible_to(user).filter(institution=institution)
    latest = list(qs.select_related("visit").order_by("-visit__planned_start", "-pk")[:LATEST])
    by_severity = _tallies(qs.order_by(), "severity", Severity.choices)
    incidents = AccessIncident.objects.filter(
        visit__in=working_material_visible_to(user), institution=institution
    )
    by_kind = _tallies(incidents.order_by(), "kind", AccessIncidentKind.choices)
    return PlaceFindings(
        latest,
        sum(t.count for t in by_severity),
        by_severity,
        list(incidents.select_related("visit").order_by("-occurred_at", "-pk")[:LATEST]),
        sum(t.count for t in by_kind),
        by_kind,
    )
