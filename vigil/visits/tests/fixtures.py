"""Fixtures for visits: visits in any state with a team of three (built directly with the ORM
so that each feature's tests do not depend on the others' services)."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from vigil.accounts.models import User
from vigil.people.models import Participant
from vigil.visits.enums import NOT_STARTED_STATES, ConsentScope, VisitState, VisitType
from vigil.visits.models import AnnualPlan, Interview, TeamMember, Visit
from vigil.visits.services.interviews import interview_create


@pytest.fixture
def make_visit(
    users: dict[str, User],
    participants: dict[str, Participant],
    make_institution: Callable[..., Any],
) -> Callable[..., Visit]:
    counter = iter(range(1, 10_000))

    def make(state: str = VisitState.PLANNED, institution: Any = None, **fields: Any) -> Visit:
        n = next(counter)
        institution = institution or make_institution()
        plan, _ = AnnualPlan.objects.get_or_create(year=2026)
        started = state not in NOT_STARTED_STATES and state != VisitState.CANCELLED
        data: dict[str, Any] = {
            "reference": f"T-2026-{n:04d}",
            "plan": plan,
            "type": VisitType.PLANNED,
            "state": state,
            "title": f"Visit {n}",
            "region": institution.region,
            "planned_start": datetime.date(2026, 12, 1),
            "started_at": timezone.now() if started else None,
            "created_by": users["coordinator"],
        }
        data.update(fields)
        visit = Visit.objects.create(**data)
        visit.institutions.add(institution)
        TeamMember.objects.create(visit=visit, participant=participants["lead"], is_lead=True)
        TeamMember.objects.create(visit=visit, participant=participants["monitor"])
        TeamMember.objects.create(visit=visit, participant=participants["doctor"])
        return visit

    return make


@pytest.fixture
def visit(make_visit: Callable[..., Visit]) -> Visit:
    """A visit on site: the state in which findings, notes, interviews and files are recorded."""
    return make_visit(state=VisitState.ON_SITE)


INTERVIEW_CONTENT = "Тергеушi ұрды деп айтты; қабырғасы ауырады"
INTERVIEW_IDENTITY = "Сәкен Өмірзақов"


@pytest.fixture
def interview(users: dict[str, User], visit: Visit) -> Interview:
    """An interview recorded by the team's monitor, with encrypted content and a sealed identity."""
    return interview_create(
        actor=users["monitor"],
        visit=visit,
        institution=None,
        data={
            "pseudonym": "Witness K",
            "consent_scopes": [ConsentScope.ANONYMOUS_USE, ConsentScope.CONTACT_BACK],
            "alleges_ill_treatment": True,
            "reprisal_risk": "high",
        },
        content=INTERVIEW_CONTENT,
        identity=INTERVIEW_IDENTITY,
    )
