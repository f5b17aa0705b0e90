"""kill -9 in the middle of the long writes: the task worker during an annual report build,
the import command during a large import. Nothing half-written stays (no partial import
rows, no report files of the killed build), the killed build is shown as interrupted, and
the work completes when it is run again.

The processes are real (`manage.py db_worker`, `manage.py import_institutions`) on a SQLite
file (vigil/core/tests/commands.py); they are killed at a point they report themselves: the
build row says "running", the import holds the database's write lock (its transaction is
open). Files go to disk (vigil/core/tests/worker_settings.py) so that what is left can be
looked at.
"""

import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from vigil.core.tests.commands import ManagePy, migrated

WAIT_S = 120  # the most a process may take to reach the point where it is killed

NEW_BUILD = """
from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.analytics.models import AnnualReport
from vigil.analytics.services.report import annual_report_build_request, annual_report_create
from vigil.analytics.tasks import enqueue_build

user = User.objects.filter(email="builder@example.org").first() or User.objects.create_user(
    "builder@example.org", "a long password 1", role=Role.COORDINATOR, full_name="Builder"
)
report = AnnualReport.objects.filter(year=2024).first() or annual_report_create(
    actor=user, year=2024
)
enqueue_build(annual_report_build_request(actor=user, report=report, language="en"))
"""
INTERRUPTED = """
from vigil.analytics.models import ReportBuild
print(ReportBuild.objects.get().interrupted)
"""


@pytest.fixture(scope="module")
def manage(tmp_path_factory: pytest.TempPathFactory) -> ManagePy:
    folder = tmp_path_factory.mktemp("killed-midway")
    seeded = migrated(folder)
    return ManagePy(
        seeded.database,
        settings="vigil.core.tests.worker_settings",
        extra_env=(("VIGIL_TEST_MEDIA_ROOT", str(folder / "media")),),
    )


def _media(manage: ManagePy) -> Path:
    return Path(dict(manage.extra_env)["VIGIL_TEST_MEDIA_ROOT"])


def _wait_for(process: subprocess.Popen[str], reached: object) -> None:
    """Wait until `reached()` is true while `process` still runs."""
    deadline = time.monotonic() + WAIT_S
    while not reached():  # type: ignore[operator]
        assert process.poll() is None, "the process ended before it could be killed"
        assert time.monotonic() < deadline, "the process never reached the point to kill it"
        time.sleep(0.01)


def _kill(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL


def test_task_worker_killed_during_a_build_leaves_no_file_and_the_build_runs_again(
    manage: ManagePy,
) -> None:
    manage.ok("shell", "--no-imports", "-c", NEW_BUILD)
    worker = manage.start("db_worker", "--no-reload", "--interval", "1")
    try:
        _wait_for(
            worker,
            lambda: manage.query("SELECT status FROM analytics_reportbuild")[0][0] == "running",
        )
    finally:
        _kill(worker)

    [(status, progress)] = manage.query("SELECT status, progress FROM analytics_reportbuild")
    assert (status, progress < 100) == ("running", True)
    assert manage.count("analytics_reportfile") == 0
    assert not list((_media(manage) / "annual-reports").glob("*"))
    # The page tells it as it is once the heartbeat is older than the setting (here: at once).
    at_once = ManagePy(
        manage.database,
        settings=manage.settings,
        extra_env=(*manage.extra_env, ("VIGIL_REPORT_BUILD_STALE_SECONDS", "0")),
    )
    assert at_once.ok("shell", "--no-imports", "-c", INTERRUPTED).stdout.strip() == "True"

    at_once.ok("shell", "--no-imports", "-c", NEW_BUILD)  # marks the interrupted build failed
    manage.ok("db_worker", "--no-reload", "--batch")

    builds = manage.query("SELECT status, error FROM analytics_reportbuild ORDER BY id")
    assert [status for status, _error in builds] == ["failed", "done"]
    assert builds[0][1].startswith("Interrupted")
    assert manage.count("analytics_reportfile") == 2  # the PDF and the DOCX of the new build
    assert len(list((_media(manage) / "annual-reports").glob("*"))) == 2


def _write_locked(database: Path) -> bool:
    """Whether another connection holds the write lock (a write transaction is open)."""
    connection = sqlite3.connect(database, timeout=0)
    try:
        connection.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc):
            raise
        return True
    else:
        connection.rollback()
        return False
    finally:
        connection.close()


def test_import_killed_midway_writes_nothing_and_completes_when_run_again(
    manage: ManagePy, tmp_path: Path
) -> None:
    rows = 3000
    path = tmp_path / "large.csv"
    path.write_text(
        "external_code,name_kk,name_ru,name_en,type,agency,region,address,capacity\n"
        + "".join(
            f"KILL-{i},№ {i} мекеме,Учреждение № {i},Institution No. {i},"
            f"COLONY_MEDIUM,MVD-KUIS-KZ-71,KZ-71,ул. Абая {i},120\n"
            for i in range(rows)
        ),
        encoding="utf-8",
    )
    imported = ("registry_institution", "external_code LIKE 'KILL-%'")
    audited = ("audit_auditevent", "action = 'institution.imported'")

    process = manage.start("import_institutions", str(path))
    try:
        _wait_for(process, lambda: _write_locked(manage.database))
    finally:
        _kill(process)

    # All or nothing: the open transaction died with the process.
    assert (manage.count(*imported), manage.count(*audited)) in [(0, 0), (rows, 1)]
    assert not _write_locked(manage.database)  # and its lock with it

    manage.ok("import_institutions", str(path))
    assert manage.count(*imported) == rows
