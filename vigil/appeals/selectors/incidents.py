"""Incidents as the lists, counts, exports and the API read them.

**Two sources, one list.** An incident is either an `Incident` (recorded here: a reprisal, a
death in custody, self-harm, an obstruction reported later) or an access incident that a
visit's team recorded on site (`visits.AccessIncident`: a delay, a refusal, an area denied),
shown as "access obstruction". We *union* the two at read time rather than copy every access
incident into an `Incident`:

- the visits app sits below appeals and may not import it, and no signals are used, so a
  copy made "from then on" would need a job that runs after each access incident and leaves
  the list stale until it runs; a union is right the moment the team saves;
- there is one home for each fact (the time, the details stay on the visit);
- an access incident that *was* turned into an `Incident` (its `access_incident` link) is
  shown once, as that incident.

Each source is filtered in the database (its own policy, then the filters of the request),
and the two are merged and ordered in Python: incidents number in the hundreds a year, so a
page of the list reads two bounded queries. `incident_rows` is the one function the list,
its export, the counts and the API use.
"""

import datetime
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.enums import AuditAction
from vigil.audit.selectors import history_of
from vigil.reference.models import Region
from vigil.registry.models import Institution
from vigil.visits.models import AccessIncident

from ..enums import IncidentKind
from ..models import Incident
from ..permissions import access_incidents_visible_to, incidents_visible_to

SOURCE_INCIDENT = "incident"
SOURCE_ACCESS = "access"

LINKS = ("appeal", "visit", "interview", "case")
"""What an incident may be linked to (the list's "linked to" filter)."""


@dataclass(frozen=True)
class IncidentFilters:
    kind: str = ""
    region: Region | None = None
    institution: Institution | None = None
    occurred_from: datetime.date | None = None
    occurred_to: datetime.date | None = None
    linked: str = ""
    appeal_id: int | None = None
    visit_id: int | None = None


@dataclass(frozen=True)
class IncidentRow:
    """One line of the incidents list, whichever its source."""

    source: str
    public_id: uuid.UUID
    reference: str
    kind: str
    kind_label: str
    occurred_on: datetime.date
    institution: Institution | None
    region: Region | None
    persons_affected: int
    visit: Any = None
    appeal: Any = None
    interview: Any = None
    case: Any = None
    detail: str = ""
    """For an access incident, what kind of obstruction (delay, refusal, area denied)."""
    incident: Incident | None = None

    @property
    def is_access(self) -> bool:
        return self.source == SOURCE_ACCESS


def _incidents(user: User | None, f: IncidentFilters) -> QuerySet[Incident]:
    qs = incidents_visible_to(user).select_related(
        "institution", "region", "visit", "appeal", "interview", "case"
    )
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.region is not None:
        qs = qs.filter(region=f.region)
    if f.institution is not None:
        qs = qs.filter(institution=f.institution)
    if f.occurred_from is not None:
        qs = qs.filter(occurred_on__gte=f.occurred_from)
    if f.occurred_to is not None:
        qs = qs.filter(occurred_on__lte=f.occurred_to)
    if f.linked in LINKS:
        qs = qs.filter(**{f"{f.linked}__isnull": False})
    if f.appeal_id is not None:
        qs = qs.filter(appeal_id=f.appeal_id)
    if f.visit_id is not None:
        qs = qs.filter(visit_id=f.visit_id)
    return qs


def _access_incidents(user: User | None, f: IncidentFilters) -> QuerySet[AccessIncident]:
    qs = (
        access_incidents_visible_to(user)
        .exclude(
            pk__in=Incident.objects.filter(access_incident__isnull=False).values("access_incident")
        )
        .select_related("visit", "visit__region", "institution")
    )
    if (f.kind and f.kind != IncidentKind.ACCESS_OBSTRUCTION) or f.linked in (
        "appeal",
        "interview",
        "case",
    ):
        return qs.none()
    if f.appeal_id is not None:
        return qs.none()
    if f.region is not None:
        qs = qs.filter(visit__region=f.region)
    if f.institution is not None:
        qs = qs.filter(institution=f.institution)
    if f.visit_id is not None:
        qs = qs.filter(visit_id=f.visit_id)
    tz = timezone.get_current_timezone()
    if f.occurred_from is not None:
        start = datetime.datetime.combine(f.occurred_from, datetime.time.min, tzinfo=tz)
        qs = qs.filter(occurred_at__gte=start)
    if f.occurred_to is not None:
        end = datetime.datetime.combine(
            f.occurred_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        qs = qs.filter(occurred_at__lt=end)
    return qs


def row_of_incident(incident: Incident) -> IncidentRow:
    return IncidentRow(
        source=SOURCE_INCIDENT,
        public_id=incident.public_id,
        reference=incident.reference,
        kind=incident.kind,
        kind_label=str(incident.get_kind_display()),
        occurred_on=incident.occurred_on,
        institution=incident.institution,
        region=incident.region,
        persons_affected=incident.persons_affected,
        visit=incident.visit,
        appeal=incident.appeal,
        interview=incident.interview,
        case=incident.case,
        incident=incident,
    )


def row_of_access_incident(access: AccessIncident) -> IncidentRow:
    visit = access.visit
    return IncidentRow(
        source=SOURCE_ACCESS,
        public_id=access.public_id,
        reference=visit.reference,
        kind=IncidentKind.ACCESS_OBSTRUCTION,
        kind_label=str(IncidentKind.ACCESS_OBSTRUCTION.label),
        occurred_on=timezone.localdate(access.occurred_at),
        institution=access.institution,
        region=visit.region,
        persons_affected=0,
        visit=visit,
        detail=str(access.get_kind_display()),
    )


ORDERINGS: dict[str, Callable[[IncidentRow], Any]] = {
    "occurred": lambda r: (r.occurred_on, r.reference),
    "kind": lambda r: (r.kind_label, r.occurred_on),
    "reference": lambda r: r.reference,
    "institution": lambda r: (r.institution.name if r.institution else "", r.occurred_on),
}


def incident_rows(user: User | None, filters: IncidentFilters | None = None) -> list[IncidentRow]:
    """Every incident `user` sees for `filters`, both sources, newest first."""
    f = filters or IncidentFilters()
    rows = [row_of_incident(i) for i in _incidents(user, f)]
    rows += [row_of_access_incident(a) for a in _access_incidents(user, f)]
    rows.sort(key=lambda r: (r.occurred_on, r.reference), reverse=True)
    return rows


def incident_counts(rows: Iterable[IncidentRow]) -> dict[str, int]:
    """How many of each kind (every kind, zeros included)."""
    counts = dict.fromkeys(IncidentKind.values, 0)
    for row in rows:
        counts[row.kind] += 1
    return counts


def get_incident(user: User | None, public_id: object) -> Incident:
    """The recorded incident, if `user` sees it (404 for missing and forbidden alike)."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise Http404 from None
    found = (
        incidents_visible_to(user)
        .select_related(
            "institution", "region", "visit", "appeal", "interview", "case", "recorded_by"
        )
        .filter(public_id=key)
        .first()
    )
    if found is None:
        raise Http404
    return found


def get_incident_row(user: User | None, public_id: object) -> IncidentRow:
    """An incident of either source by its public id (404 for missing and forbidden)."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise Http404 from None
    incident = (
        incidents_visible_to(user)
        .select_related("institution", "region", "visit", "appeal", "interview", "case")
        .filter(public_id=key)
        .first()
    )
    if incident is not None:
        return row_of_incident(incident)
    access = (
        _access_incidents(user, IncidentFilters())
        .filter(public_id=key)
        .select_related("visit__region", "institution")
        .first()
    )
    if access is None:
        raise Http404
    return row_of_access_incident(access)


def incidents_of_visit(user: User | None, visit: Any) -> list[IncidentRow]:
    return incident_rows(user, IncidentFilters(visit_id=visit.pk))


def incidents_of_appeal(user: User | None, appeal: Any) -> list[IncidentRow]:
    return incident_rows(user, IncidentFilters(appeal_id=appeal.pk))


def linked_label(row: IncidentRow) -> str:
    """What the incident is linked to, for the export ("appeal, visit")."""
    names = {
        "appeal": _("appeal"),
        "visit": _("visit"),
        "interview": _("interview"),
        "case": _("criminal case"),
    }
    return ", ".join(str(names[link]) for link in LINKS if getattr(row, link) is not None)


@dataclass(frozen=True)
class HistoryLine:
    at: datetime.datetime
    actor: str
    action: str
    changed: list[str]


def incident_history(incident: Incident) -> list[HistoryLine]:
    """The incident's timeline from its audit rows (recorded, each correction with the names
    of the fields changed), oldest first; the caller has checked the incident is visible."""
    lines = []
    for event in history_of(incident._meta.label_lower, str(incident.public_id)).order_by(
        "occurred_at", "id"
    )[:200]:
        try:
            action = str(AuditAction(event.action).label)
        except ValueError:
            action = event.action
        changes = (event.data or {}).get("changes") or {}
        lines.append(HistoryLine(event.occurred_at, event.actor_label, action, sorted(changes)))
    return lines
