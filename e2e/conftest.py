"""Browser journeys (the browser and its fixtures: `e2e.browser`)."""

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

from conftest import PASSWORD


class CountedServer(ThreadedWSGIServer):
    """The live server, counting the requests it is handling (body and close included), so a
    journey's end can wait for them before the tables are flushed: a request still running (an
    offline copy fetched by the service worker, an answer replayed from the phone's queue) would
    otherwise hold its rows while the flush truncates them (a deadlock on PostgreSQL) or write
    after it (a row left for the next test).

    With SQLite in memory the threads share the test's one connection, so two requests at once
    would interleave their transactions on it: there, requests are handled one at a time.
    PostgreSQL keeps them concurrent (each thread its own connection), as in production."""

    serialize = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    running = 0
    idle = threading.Condition()

    def set_app(self, application: Any) -> None:
        lock: AbstractContextManager[Any] = threading.Lock() if self.serialize else nullcontext()

        def counted(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
            with CountedServer.idle:
                CountedServer.running += 1
            try:
                with lock:
                    result = application(environ, start_response)
                    try:
                        return list(result)
                    finally:
                        close = getattr(result, "close", None)
                        if close is not None:
                            close()
            finally:
                with CountedServer.idle:
                    CountedServer.running -= 1
                    CountedServer.idle.notify_all()

        super().set_app(counted)

    @classmethod
    def wait_until_idle(cls, timeout: float = 15.0) -> None:
        with cls.idle:
            cls.idle.wait_for(lambda: cls.running == 0, timeout=timeout)


LiveServerThread.server_class = CountedServer


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "e2e" in item.nodeid.split("/")[0]:
            item.add_marker(pytest.mark.e2e)


DATA_MIGRATIONS = (
    ("vigil.international.migrations.0002_default_scales", "load"),
    ("vigil.planning.migrations.0002_default_rules", "seed"),
)


@pytest.fixture(autouse=True)
def _live_server_journey(request: pytest.FixtureRequest) -> Iterator[None]:
    """A `live_server` test empties every table after it (a flush), the default rows the data
    migrations wrote too: they are put back before each journey (idempotently). After the
    journey (its browser context closed), the flush waits for the requests still running."""
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    for module, function in DATA_MIGRATIONS:
        getattr(import_module(module), function)(apps, None)
    yield
    CountedServer.wait_until_idle()


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
