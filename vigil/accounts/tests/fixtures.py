"""Fixtures for accounts: one active account per role and a logged-in client (registered for
every app's tests by the root conftest)."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from conftest import PASSWORD
from vigil.accounts.enums import Role
from vigil.accounts.models import ApiToken, User


@pytest.fixture
def users(ref: dict[str, Any]) -> dict[str, User]:
    """One active account per role; the regional one covers Astana, the liaison the committee."""
    accounts: dict[str, User] = {}
    for role in Role:
        user = User.objects.create_user(
            email=f"{role.value}@test.vigil",
            password=PASSWORD,
            full_name=f"Test {role.label}",
            role=role,
            agency=ref["kuis"] if role == Role.LIAISON else None,
        )
        accounts[role.value] = user
    accounts["regional"].regions.set([ref["astana"]])
    accounts["other_liaison"] = User.objects.create_user(
        email="other-liaison@test.vigil",
        password=PASSWORD,
        full_name="Other Liaison",
        role=Role.LIAISON,
        agency=ref["moh"],
    )
    return accounts


@pytest.fixture
def client_for(users: dict[str, User]) -> Callable[[str], Client]:
    """A test client logged in as the given actor ("anonymous" for none)."""

    def make(actor: str) -> Client:
        client = Client()
        if actor != "anonymous":
            client.force_login(users[actor])
        return client

    return make


def api_key(user: User, name: str = "tests") -> str:
    """A new working API token of `user` (not audited: a fixture, not an issue)."""
    _token, key = ApiToken.objects.create(user=user, expiry=timedelta(days=1), name=name)
    return str(key)
