"""`python manage.py backup`, `restore` and `rotate_keys` as a user runs them (subprocess,
system checks on): demo data in one SQLite file, backed up, restored into a second, migrated
one, which then holds exactly the same rows, table by table; a tampered archive, a wrong key
and a non-empty database are refused."""

import sqlite3
from pathlib import Path

import pytest

from vigil.core.backup.cipher import new_backup_key
from vigil.core.tests.commands import ManagePy, migrated


def _tables(database: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, as SQLite holds them (sessions and the cache are not backed up)."""
    connection = sqlite3.connect(database)
    try:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' "
                "AND name NOT IN ('django_session', 'vigil_cache', 'django_migrations')"
            )
        ]
        tables = {
            name: connection.execute(f'SELECT * FROM "{name}" ORDER BY 1').fetchall()  # noqa: S608
            for name in names
        }
        # each instance made its own migrations (their times differ), the same ones
        tables["django_migrations"] = connection.execute(
            "SELECT app, name FROM django_migrations ORDER BY app, name"
        ).fetchall()
        return tables
    finally:
        connection.close()


class Keyed(ManagePy):
    key: str = new_backup_key()

    def env(self) -> dict[str, str]:
        return {**super().env(), "VIGIL_BACKUP_KEY": self.key}


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> tuple[Keyed, Path]:
    directory = tmp_path_factory.mktemp("backup-source")
    migrated(directory)
    manage = Keyed(directory / "vigil.sqlite3")
    manage.ok("generate_demo_data", "--seed", "3")
    archive = directory / "vigil.backup"
    result = manage.ok("backup", str(archive))
    assert f"Wrote {archive}:" in result.stdout
    return manage, archive


def test_restore_gives_the_same_rows_in_a_new_database(
    source: tuple[Keyed, Path], tmp_path: Path
) -> None:
    manage, archive = source
    assert "is intact" in manage.ok("restore", "--verify", str(archive)).stdout
    target = Keyed(tmp_path / "restored.sqlite3")
    target.ok("migrate", "--no-input")
    assert "Restored" in target.ok("restore", str(archive)).stdout
    before, after = _tables(manage.database), _tables(target.database)
    assert after.keys() == before.keys()
    for table, table_rows in before.items():
        assert after[table] == table_rows, table
    assert len(before["visits_interview"]) > 0
    assert len(before["appeals_appealidentity"]) > 0
    assert len(before["audit_auditevent"]) > 0


def test_refusals(source: tuple[Keyed, Path], tmp_path: Path) -> None:
    manage, archive = source
    refused = manage("restore", str(archive))  # the source is not empty
    assert refused.returncode == 1
    assert "database is not empty" in refused.stderr
    tampered = tmp_path / "tampered.backup"
    data = bytearray(archive.read_bytes())
    data[len(data) // 3] ^= 0xFF
    tampered.write_bytes(bytes(data))
    result = manage("restore", "--verify", str(tampered))
    assert result.returncode == 1
    assert "does not decrypt" in result.stderr
    other = Keyed(manage.database)
    other.key = new_backup_key()
    result = other("restore", "--verify", str(archive))
    assert result.returncode == 1
    assert "wrong backup key" in result.stderr


def test_rotate_keys_dry_run_counts(source: tuple[Keyed, Path]) -> None:
    manage, _archive = source
    result = manage.ok("rotate_keys", "--dry-run")
    assert "Current key version: 1." in result.stdout
    assert "visits.interview.content_ciphertext:" in result.stdout
    assert "would be re-encrypted in all." in result.stdout
