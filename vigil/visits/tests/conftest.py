"""Fixtures for visits: participants, a team of three, visits in any state (built directly
with the ORM so that each feature's tests do not depend on the others' services)."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from conftest import PASSWORD
from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.people.enums import Profession
from vigil.people.models import Participant
from vigil.visits.enums import NOT_STARTED_STATES, VisitState, VisitType
from vigil.visits.models import AnnualPlan, TeamMember, Visit


def _participant(user: User, profession: str) -> Participant:
    return Participant.objects.create(
        user=user, profession=profession, accredited_from=datetime.date(2020, 1, 1)
    )


@pytest.fixture
def participants(users: dict[str, User], ref: dict[str, Any]) -> dict[str, Participant]:
    """`monitor` (on the team), `lead` and `doctor` (on the team), `outsider` (not on it)."""
    extra = {}
    for key, name in (("lead", "Team Lead"), ("doctor", "Team Doctor"), ("outsider", "Outsider")):
        extra[key] = User.objects.create_user(
            email=f"{key}@test.vigil", password=PASSWORD, full_name=name, role=Role.MONITOR
        )
    users.update({f"monitor_{k}": v for k, v in extra.items()})
    return {
        "monitor": _participant(users["monitor"], Profession.LAWYER),
        "lead": _participant(extra["lead"], Profession.NGO_MEMBER),
        "doctor": _participant(extra["doctor"], Profession.DOCTOR),
        "outsider": _participant(extra["outsider"], Profession.PSYCHOLOGIST),
    }


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
