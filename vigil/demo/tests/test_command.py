"""`python manage.py generate_demo_data --seed 1 --scale demo` run as a user runs it (`make run`
does): a subprocess with Django's system checks on, on a fresh SQLite file, after `migrate`
and `seed_reference_data`. The second run with the same seed changes nothing."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.utils import translation

from vigil.demo.accounts import DEFAULT_DEMO_PASSWORD, DEMO_ACCOUNTS, DEMO_PASSWORD_ENV

ROOT = Path(__file__).resolve().parents[3]


def _manage(*args: str, database: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", DEMO_PASSWORD_ENV)}
    env.update(DATABASE_URL=f"sqlite:///{database}", DJANGO_SETTINGS_MODULE="config.settings.test")
    return subprocess.run(  # noqa: S603 - manage.py with this test's own arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _row_counts(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            table: connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in tables
        }


def test_generate_demo_data_as_a_user_runs_it(tmp_path: Path) -> None:
    database = tmp_path / "demo.sqlite3"
    for step in (("migrate", "--no-input"), ("seed_reference_data",)):
        result = _manage(*step, database=database)
        assert result.returncode == 0, result.stderr

    first = _manage("generate_demo_data", "--seed", "1", "--scale", "demo", database=database)
    assert first.returncode == 0, first.stderr
    assert "Demo data (seed 1, scale demo)" in first.stdout
    assert "Demo logins (password default):" in first.stdout
    for account in DEMO_ACCOUNTS:
        line = next(row for row in first.stdout.splitlines() if account.email in row)
        with translation.override("en"):  # the command prints the English role names
            role = str(account.role.label)
        # No role requires a second factor under the test settings.
        assert line.split() == [account.email, *role.split(), DEFAULT_DEMO_PASSWORD, "-"]
    counts = _row_counts(database)
    for table in ("accounts_user", "registry_institution", "people_participant", "visits_visit"):
        assert counts[table] > 0, table
    assert counts["recommendations_recommendation"] > 0

    second = _manage("generate_demo_data", "--seed", "1", "--scale", "demo", database=database)
    assert second.returncode == 0, second.stderr
    assert "6 unchanged" in second.stdout
    assert _row_counts(database) == counts
