"""Fixtures for NPM participants (registered for every app's tests by the root conftest)."""

import datetime
from typing import Any

import pytest

from conftest import PASSWORD
from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.people.enums import Profession
from vigil.people.models import Participant


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
