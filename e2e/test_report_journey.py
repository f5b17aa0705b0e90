"""The consolidated annual report in the browser (issue 9): the coordinator opens the 2021
report, writes the introduction in Russian, starts a Russian build, watches its progress
(polled by htmx, the page is never reloaded) reach the end, and downloads the PDF. The PDF's
first pages are kept as images (`pdftoppm`) under `test-results/annual-report/`; axe finds no
serious violation on the page and no Content-Security-Policy rule is broken.

The build is run by the test (the task backend here only records it), so that the page is
seen polling a build that is still running."""

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import PASSWORD
from e2e.browser import axe_violations
from vigil.accounts.models import User
from vigil.analytics.models import BuildStatus, ReportBuild
from vigil.analytics.services.report import annual_report_build_run
from vigil.analytics.tests.report_helpers import make_report, penitentiary_tally_2021

ARTEFACTS = Path(os.environ.get("VIGIL_TEST_ARTEFACTS", "test-results")) / "annual-report"
INTRODUCTION = "В 2021 году национальный превентивный механизм посетил учреждения всех ведомств."


@pytest.fixture
def recorded_tasks(settings: Any) -> None:
    """Tasks are recorded, not run (Django resets its task backends on the change): the test
    runs the build itself."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@pytest.mark.django_db(transaction=True)
def test_the_coordinator_writes_builds_and_downloads_the_report(  # type: ignore[no-untyped-def]
    browser, live_server, users: dict[str, User], ref: dict[str, Any], recorded_tasks: None
) -> None:
    coordinator = users["coordinator"]
    penitentiary_tally_2021(
        ref["kuis_71"], coordinator, implemented=11, in_implementation=7, not_accepted=2
    )
    make_report(2021, coordinator)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)

    context = browser.new_context(
        locale="ru-RU", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    page: Any = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", coordinator.email)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].btn-primary")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/analysis/reports/")
    page.click("a[href='/analysis/reports/2021/']")
    page.click("a[href='?lang=ru']")
    page.fill("textarea[name=introduction]", INTRODUCTION)
    page.click("form[action$='/narrative/'] button[type=submit]")
    page.wait_for_url("**/analysis/reports/2021/?lang=ru")
    assert page.input_value("textarea[name=introduction]") == INTRODUCTION

    page.select_option("select[name=language]", "ru")
    page.click("form[action$='/builds/'] button[type=submit]")
    page.wait_for_url("**/analysis/reports/2021/")
    build = ReportBuild.objects.get()
    row = page.locator(f"#build-{build.public_id}")
    assert row.locator("[data-status=queued]").count() == 1
    assert row.get_attribute("hx-trigger") == "every 2s"
    assert axe_violations(page) == []

    finished = annual_report_build_run(build.pk)
    assert finished is not None
    assert finished.status == BuildStatus.DONE, finished.error
    row.locator("[data-status=done]").wait_for()
    assert row.get_attribute("hx-trigger") is None  # polling stopped
    page.locator("#freshness [data-language=ru]").wait_for()
    assert axe_violations(page) == []
    page.screenshot(path=str(ARTEFACTS / "report-page.png"), full_page=True)

    with page.expect_download() as download:
        row.locator("a", has_text="PDF").click()
    pdf = ARTEFACTS / "annual-report-2021-ru.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(  # noqa: S603 (a fixed local tool on our own file)
        ["/usr/bin/pdftotext", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode()
    assert INTRODUCTION.split()[0] in text
    assert "национальный превентивный" in text
    subprocess.run(  # noqa: S603 (a fixed local tool on our own file)
        [
            "/usr/bin/pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "3",
            str(pdf),
            str(ARTEFACTS / "page"),
        ],
        check=True,
    )
    assert len(list(ARTEFACTS.glob("page-*.png"))) == 3
    context.close()
