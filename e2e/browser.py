"""The browser for every browser test (e2e/ and the apps' own): Playwright driving Debian's
Chromium (never a downloaded browser), watched for Content Security Policy violations.
A plugin of the root conftest, so its fixtures reach every test."""

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in this thread; the ORM calls made by
# fixtures around it are synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("VIGIL_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


class WatchedBrowser:
    """The session's Chromium. Every page opened in any of its contexts reports its Content
    Security Policy violations (console messages) into `violations`; each browser test must
    end with none (`_no_csp_violation`), so every journey checks the CSP."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser
        self.violations: list[str] = []

    def new_context(self, **kwargs: Any) -> Any:
        context = self._browser.new_context(**kwargs)
        context.on("console", self._console)
        return context

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.violations.append(f"{message.location.get('url', '')}: {message.text}")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def browser() -> Iterator[WatchedBrowser]:
    """Debian's Chromium, one per test session (the tests in vigil/ use it too)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make test` (it installs Debian's chromium)."
        )
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield WatchedBrowser(launched)
        launched.close()


@pytest.fixture(autouse=True)
def _no_csp_violation(request: pytest.FixtureRequest) -> Iterator[None]:
    """Any test that drives the browser fails on a Content Security Policy violation."""
    if "browser" not in request.fixturenames:
        yield
        return
    watched = request.getfixturevalue("browser")
    watched.violations.clear()
    yield
    assert not watched.violations, "CSP violations:\n" + "\n".join(watched.violations)


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def axe_violations(page, impact_levels=("serious", "critical")):  # type: ignore[no-untyped-def]
    """Runs axe-core on the current page; returns serious/critical violations."""
    # Colours change with CSS transitions (Bootstrap buttons): let them finish, or axe may
    # measure contrast half-way through one (a cancelled one rejects: settled is enough).
    page.evaluate("() => Promise.allSettled(document.getAnimations().map((a) => a.finished))")
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: {v['nodes'][0]['target']})"
        for v in result["violations"]
        if v["impact"] in impact_levels
    ]


def log_out(page: Any) -> None:
    """Signs out through the account menu, the way a user does (the menu folded behind the
    navbar toggler on a phone). A click landing while the page's scripts start, or while the
    navbar unfolds, can be lost: the menu is opened again until its "Log out" shows."""
    logout = page.get_by_role("button", name="Log out")
    page.wait_for_load_state("load")
    for _ in range(3):
        toggler = page.locator(".navbar-toggler")
        if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
            toggler.click()
            expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))
        menu = page.locator("#account-menu")
        if menu.get_attribute("aria-expanded") != "true":
            menu.click()
        try:
            expect(logout).to_be_visible(timeout=5_000)
            break
        except AssertionError:
            continue
    logout.click()
