"""Shared test vocabulary (roles, actors, the test password); each app's factories live in its
`tests/fixtures.py` and are registered here for every app's tests."""

from vigil.accounts.enums import Role

ROLES = [r.value for r in Role]
ALL_ACTORS = ["anonymous", *ROLES]
PASSWORD = "test-pass-123"

pytest_plugins = [
    "vigil.reference.tests.fixtures",
    "vigil.accounts.tests.fixtures",
    "vigil.registry.tests.fixtures",
    "vigil.people.tests.fixtures",
    "vigil.visits.tests.fixtures",
    "vigil.recommendations.tests.fixtures",
]
