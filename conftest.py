"""Shared test vocabulary (roles, actors, the test password); each app's factories live in its
`tests/fixtures.py` and are registered here for every app's tests."""

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from vigil.accounts.enums import Role
from vigil.core.stamps import forget_kept

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
    "vigil.appeals.tests.fixtures",
    "vigil.international.tests.fixtures",
    "vigil.planning.tests.fixtures",
    "vigil.analytics.tests.fixtures",
    "e2e.browser",
]


@pytest.fixture(autouse=True)
def _cache_cleared() -> None:
    """Each test starts with an empty cache (a cached analysis keyed by the data's state
    could otherwise outlive the test whose data made it)."""
    cache.clear()
    forget_kept()


@pytest.fixture(autouse=True)
def _language_restored() -> Iterator[None]:
    """A request in kk or ru leaves its language active in the thread (LocaleMiddleware does
    not reset it): each test ends in the test settings' language, so none depends on order."""
    yield
    translation.activate(settings.LANGUAGE_CODE)
