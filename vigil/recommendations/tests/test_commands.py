"""The recommendations' documented commands, run as a user runs them: `python manage.py ...` in
a subprocess, system checks on, against a migrated SQLite file (vigil/core/tests/commands.py).
"""

from pathlib import Path

import pytest

from vigil.core.tests.commands import ManagePy, migrated

HEADER = "external_ref,text,addressee,institution,theme,issued_on,deadline,status,status_date\n"
LIAISON = "liaison@commands.test"
CREATE_LIAISON = (
    "from vigil.accounts.models import User; from vigil.registry.models import Agency; "
    f"User.objects.create_user(email='{LIAISON}', password='x-commands-1', "
    "full_name='Liaison', role='liaison', agency=Agency.objects.get(code='MVD-KUIS'))"
)


@pytest.fixture(scope="module")
def manage(tmp_path_factory: pytest.TempPathFactory) -> ManagePy:
    return migrated(tmp_path_factory.mktemp("recommendation-commands"))


def _csv(tmp_path: Path, name: str, *rows: str) -> str:
    path = tmp_path / name
    path.write_text(HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return str(path)


def _row(ref: str, theme: str = "T2", status: str = "implemented") -> str:
    return (
        f"{ref},Eliminate the blind spots of the video surveillance.,MVD-KUIS-KZ-71,,{theme},"
        f"2025-03-15,2025-06-16,{status},2025-09-01"
    )


def _recommendations(manage: ManagePy, prefix: str) -> int:
    return manage.count("recommendations_recommendation", "external_ref LIKE ?", (f"{prefix}%",))


def _imports_audited(manage: ManagePy) -> int:
    return manage.count("audit_auditevent", "action = ?", ("recommendation.imported",))


def test_import_recommendations_good_file(manage: ManagePy, tmp_path: Path) -> None:
    audited = _imports_audited(manage)
    path = _csv(tmp_path, "good.csv", _row("GOOD-1"), _row("GOOD-2", status="not_accepted"))

    result = manage.ok("import_recommendations", path)

    assert "2 created, 0 updated, 0 unchanged" in result.stdout
    assert _recommendations(manage, "GOOD-") == 2
    assert (
        manage.count(
            "recommendations_recommendationevent",
            "kind = 'imported' AND recommendation_id IN "
            "(SELECT id FROM recommendations_recommendation WHERE external_ref LIKE 'GOOD-%')",
        )
        == 2
    )
    assert _imports_audited(manage) == audited + 1


def test_import_recommendations_bad_file_names_row_and_column_and_writes_nothing(
    manage: ManagePy, tmp_path: Path
) -> None:
    audited = _imports_audited(manage)
    path = _csv(tmp_path, "bad.csv", _row("BAD-1"), _row("BAD-2", theme="T0"))

    result = manage("import_recommendations", path)

    assert result.returncode != 0
    assert "row 3, column theme" in result.stderr
    assert "nothing was imported" in result.stderr
    assert _recommendations(manage, "BAD-") == 0
    assert _imports_audited(manage) == audited


def test_import_recommendations_dry_run_writes_nothing(manage: ManagePy, tmp_path: Path) -> None:
    audited = _imports_audited(manage)
    path = _csv(tmp_path, "dry.csv", _row("DRY-1"), _row("DRY-2", status="in_implementation"))

    result = manage.ok("import_recommendations", path, "--dry-run")

    assert "Dry run, nothing written: 2 would be created" in result.stdout
    assert "implemented: 1, in_implementation: 1" in result.stdout
    assert _recommendations(manage, "DRY-") == 0
    assert _imports_audited(manage) == audited


def test_send_recommendation_reminders_reminds_once_then_moves_to_no_response(
    manage: ManagePy, tmp_path: Path
) -> None:
    manage.ok("shell", "-c", CREATE_LIAISON)
    rows = [
        f"REM-{n},Keep the register of complaints.,MVD-KUIS-KZ-71,,T4,2025-01-10,2025-02-14,"
        "awaiting_response,"
        for n in (1, 2)
    ]
    manage.ok("import_recommendations", _csv(tmp_path, "pending.csv", *rows))

    first = manage.ok("send_recommendation_reminders", "--today", "2025-02-17")
    assert "2025-02-17: 0 due-soon and 2 overdue reminders in 1 e-mails" in first.stdout
    reminders = manage.query(
        "SELECT kind, recipients FROM recommendations_reminder ORDER BY id",
    )
    assert [kind for kind, _recipients in reminders] == ["overdue", "overdue"]
    assert all(LIAISON in recipients for _kind, recipients in reminders)

    again = manage.ok("send_recommendation_reminders", "--today", "2025-02-17")
    assert "0 overdue reminders in 0 e-mails" in again.stdout
    assert manage.count("recommendations_reminder") == 2

    later = manage.ok("send_recommendation_reminders", "--today", "2025-06-02")
    assert "2 moved to no response" in later.stdout
    states = manage.query(
        "SELECT DISTINCT state FROM recommendations_recommendation WHERE external_ref LIKE 'REM-%'"
    )
    assert states == [("no_response",)]
