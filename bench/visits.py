"""Planning writes as a coordinator makes them: a new visit, and a visit put in the plan."""

import datetime
from typing import Any

from django.db.models import Count
from django.test import Client
from django.utils import timezone

from vigil.accounts.models import User
from vigil.registry.enums import InstitutionStatus
from vigil.registry.models import Institution
from vigil.visits.enums import VisitMode, VisitState, VisitType
from vigil.visits.models import Visit
from vigil.visits.services.visits import visit_create, visit_team_set
from vigil.visits.workflow import MIN_TEAM

from .harness import measure


def _ready_draft_factory(coordinator: User) -> Any:
    """A fresh draft, ready for the plan, on each call: a copy of a planned visit of the demo
    data (its institutions, dates and team), made through the services."""
    model = (
        Visit.objects.filter(state=VisitState.PLANNED, type=VisitType.PLANNED)
        .annotate(members=Count("team"))
        .filter(members__gte=MIN_TEAM)
        .order_by("-planned_start", "pk")
        .first()
    )
    if model is None:
        raise SystemExit("The demo data has no planned visit with a team to copy.")
    members = list(model.team.select_related("participant"))
    lead = next(m.participant for m in members if m.is_lead)

    def draft() -> Visit:
        visit = visit_create(
            actor=coordinator,
            data={
                "type": VisitType.PLANNED,
                "mode": model.mode,
                "title": "Bench visit",
                "institutions": list(model.institutions.all()),
                "planned_start": model.planned_start,
                "planned_end": model.planned_end,
            },
        )
        visit_team_set(
            actor=coordinator, visit=visit, members=[m.participant for m in members], lead=lead
        )
        return visit

    return draft


def visits_measures(client: Client, coordinator: User) -> list[dict[str, Any]]:
    institutions = list(
        Institution.objects.filter(status=InstitutionStatus.ACTIVE).order_by("pk")[:2]
    )
    start = datetime.date(timezone.localdate().year + 1, 3, 2)
    form = {
        "type": VisitType.PLANNED,
        "title": "Bench visit",
        "institutions": [str(i.public_id) for i in institutions],
        "planned_start": start.isoformat(),
        "planned_end": (start + datetime.timedelta(days=1)).isoformat(),
        "mode": VisitMode.IN_PERSON,
        "objectives": "Conditions of detention.",
    }

    def created(response: Any) -> bool:
        if response.status_code != 302:
            return False
        visit = Visit.objects.order_by("-pk").first()
        return (
            visit is not None
            and response["Location"].startswith(f"/visits/{visit.public_id}/")
            and visit.state == VisitState.DRAFT
            and sorted(visit.institutions.values_list("pk", flat=True))
            == sorted(i.pk for i in institutions)
        )

    def put_in_plan(visit: Visit) -> Any:
        return client.post(
            f"/visits/{visit.public_id}/transition/", {"to_state": VisitState.PLANNED, "note": ""}
        )

    def in_plan(outcome: tuple[Visit, Any]) -> bool:
        visit, response = outcome
        visit.refresh_from_db()
        return response.status_code == 302 and visit.state == VisitState.PLANNED

    return [
        measure(
            "visit create (POST)",
            300,
            lambda: client.post("/visits/new/", form),
            created,
        ),
        measure(
            "visit put in the annual plan (POST)",
            300,
            put_in_plan,
            in_plan,
            setup=_ready_draft_factory(coordinator),
        ),
    ]
