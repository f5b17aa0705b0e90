"""Browser journeys (the browser and its fixtures: `e2e.browser`)."""

from importlib import import_module

import pytest
from django.apps import apps


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "e2e" in item.nodeid.split("/")[0]:
            item.add_marker(pytest.mark.e2e)


DATA_MIGRATIONS = (
    ("vigil.international.migrations.0002_default_scales", "load"),
    ("vigil.planning.migrations.0002_default_rules", "seed"),
)


@pytest.fixture(autouse=True)
def _data_made_by_migrations(request: pytest.FixtureRequest) -> None:
    """A `live_server` test empties every table after it (a flush), the default rows the data
    migrations wrote too: they are put back before each journey (idempotently)."""
    if "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    for module, function in DATA_MIGRATIONS:
        getattr(import_module(module), function)(apps, None)
