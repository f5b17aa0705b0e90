"""Running `python manage.py ...` as a user does, for the tests of the documented commands.

Each command runs in a subprocess, so Django's system checks run first (`call_command()`
skips them), against a throwaway SQLite file named by `DATABASE_URL`: the tests pass the same
way whether the suite itself runs on SQLite or on PostgreSQL. A test module migrates one file
in a module-scoped fixture (`migrated(...)`) and reads it back with `sqlite3`.
"""

import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
TIMEOUT_S = 300


@dataclass(frozen=True)
class ManagePy:
    """`manage.py` bound to one SQLite database file."""

    database: Path
    settings: str = "config.settings.test"
    extra_env: tuple[tuple[str, str], ...] = ()

    def env(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        env["DJANGO_SETTINGS_MODULE"] = self.settings
        env["DATABASE_URL"] = f"sqlite:///{self.database}"
        env.update(self.extra_env)
        return env

    def start(self, *args: str) -> subprocess.Popen[str]:
        """Start `python manage.py *args` without waiting for it (output discarded)."""
        return subprocess.Popen(  # noqa: S603 (our own interpreter and manage.py)
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run `python manage.py *args`; the result holds the exit status, stdout and stderr."""
        return subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )

    def ok(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run a command that must succeed (exit status 0)."""
        result = self(*args)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        return result

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        connection = sqlite3.connect(self.database)
        try:
            return connection.execute(sql, params).fetchall()
        finally:
            connection.close()

    def count(self, table: str, where: str = "", params: tuple[Any, ...] = ()) -> int:
        sql = f"SELECT COUNT(*) FROM {table}" + (f" WHERE {where}" if where else "")  # noqa: S608
        return int(self.query(sql, params)[0][0])


def migrated(directory: Path, *, seed: bool = True) -> ManagePy:
    """A database file in `directory`, migrated (`manage.py migrate`) and, with `seed`, holding
    the reference data (`manage.py seed_reference_data`)."""
    manage = ManagePy(directory / "vigil.sqlite3")
    manage.ok("migrate", "--no-input")
    if seed:
        manage.ok("seed_reference_data")
    return manage
