"""Browser journeys (the browser and its fixtures: `e2e.browser`)."""

import threading
from collections.abc import Callable, Iterable, Iterator
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

from conftest import PASSWORD


class OneRequestAtATime(ThreadedWSGIServer):
    """The live server for SQLite in memory: its threads share the test's one connection, so two
    requests at once (a page's offline copies fetched by the service worker while an answer is
    saved) would interleave their transactions on it. Requests are handled one at a time, body
    and close included; connections are still accepted by threads. PostgreSQL keeps the
    threaded server (each thread its own connection), as in production."""

    def set_app(self, application: Any) -> None:
        lock = threading.Lock()

        def serialized(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
            with lock:
                result = application(environ, start_response)
                try:
                    return list(result)
                finally:
                    close = getattr(result, "close", None)
                    if close is not None:
                        close()

        super().set_app(serialized)


if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    LiveServerThread.server_class = OneRequestAtATime


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


@pytest.fixture
def login(browser, live_server) -> Iterator[Callable[..., Any]]:  # type: ignore[no-untyped-def]
    """Logs an account in, in its own browser context (English; a phone if asked)."""
    contexts = []

    def open_as(email: str, *, phone: bool = False) -> Any:
        viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
        context = browser.new_context(
            locale="en-GB", viewport=viewport, has_touch=phone, accept_downloads=True
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", email)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit].btn-primary")
        page.wait_for_url(f"{live_server.url}/")
        return page

    yield open_as
    for context in contexts:
        context.close()
