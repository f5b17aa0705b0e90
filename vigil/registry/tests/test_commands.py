"""The registry's documented commands, run as a user runs them: `python manage.py ...` in a
subprocess, system checks on, against a migrated SQLite file (see vigil/core/tests/commands.py).
"""

from pathlib import Path

import pytest

from vigil.core.tests.commands import ManagePy, migrated

HEADER = "external_code,name_kk,name_ru,name_en,type,agency,region,address,capacity\n"


@pytest.fixture(scope="module")
def manage(tmp_path_factory: pytest.TempPathFactory) -> ManagePy:
    return migrated(tmp_path_factory.mktemp("registry-commands"))


def _institutions(manage: ManagePy, prefix: str) -> int:
    return manage.count("registry_institution", "external_code LIKE ?", (f"{prefix}%",))


def _imports_audited(manage: ManagePy) -> int:
    return manage.count("audit_auditevent", "action = ?", ("institution.imported",))


def _csv(tmp_path: Path, name: str, *rows: str) -> str:
    path = tmp_path / name
    path.write_text(HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return str(path)


def _row(code: str, capacity: str = "120") -> str:
    return (
        f"{code},№ 1 мекеме,Учреждение № 1,Institution No. 1,"
        f"COLONY_MEDIUM,MVD-KUIS-KZ-71,KZ-71,ул. Абая 1,{capacity}"
    )


def test_import_institutions_good_file(manage: ManagePy, tmp_path: Path) -> None:
    audited = _imports_audited(manage)
    path = _csv(tmp_path, "good.csv", _row("GOOD-1"), _row("GOOD-2"))

    result = manage.ok("import_institutions", path)

    assert "2 created, 0 updated, 0 unchanged" in result.stdout
    assert _institutions(manage, "GOOD-") == 2
    assert _imports_audited(manage) == audited + 1


def test_import_institutions_bad_file_names_row_and_column_and_writes_nothing(
    manage: ManagePy, tmp_path: Path
) -> None:
    audited = _imports_audited(manage)
    path = _csv(tmp_path, "bad.csv", _row("BAD-1"), _row("BAD-2", capacity="-5"))

    result = manage("import_institutions", path)

    assert result.returncode != 0
    assert "row 3, column capacity" in result.stderr
    assert "nothing was imported" in result.stderr
    assert _institutions(manage, "BAD-") == 0
    assert _imports_audited(manage) == audited


def test_import_institutions_dry_run_writes_nothing(manage: ManagePy, tmp_path: Path) -> None:
    audited = _imports_audited(manage)
    path = _csv(tmp_path, "dry.csv", _row("DRY-1"), _row("DRY-2"), _row("DRY-3"))

    result = manage.ok("import_institutions", path, "--dry-run")

    assert "Dry run, nothing written: 3 would be created" in result.stdout
    assert _institutions(manage, "DRY-") == 0
    assert _imports_audited(manage) == audited
