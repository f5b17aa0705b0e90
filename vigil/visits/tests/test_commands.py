"""The visits' documented command, run as a user runs it: `python manage.py load_checklists` in
a subprocess, system checks on, against a migrated SQLite file (vigil/core/tests/commands.py).
"""

from pathlib import Path

import pytest

from vigil.core.tests.commands import ManagePy, migrated


@pytest.fixture(scope="module")
def manage(tmp_path_factory: pytest.TempPathFactory) -> ManagePy:
    return migrated(tmp_path_factory.mktemp("visit-commands"), seed=False)


def test_load_checklists_loads_the_templates_once(manage: ManagePy) -> None:
    first = manage.ok("load_checklists")

    assert "created" in first.stdout
    assert "Done." in first.stdout
    templates = manage.count("visits_checklisttemplate")
    questions = manage.count("visits_checklistquestion")
    assert templates >= 1
    assert questions > templates

    again = manage.ok("load_checklists")
    assert "Nothing to change: already up to date." in again.stdout
    assert manage.count("visits_checklisttemplate") == templates
    assert manage.count("visits_checklistquestion") == questions


def test_load_checklists_refuses_a_broken_file_and_writes_nothing(
    manage: ManagePy, tmp_path: Path
) -> None:
    templates = manage.count("visits_checklisttemplate")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")

    result = manage("load_checklists", "--path", str(broken))

    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert manage.count("visits_checklisttemplate") == templates


def test_export_xlsform_then_import_it_back(manage: ManagePy, tmp_path: Path) -> None:
    manage.ok("load_checklists")
    out = tmp_path / "police.xlsx"
    exported = manage.ok("export_xlsform", "DEFAULT_POLICE", "--out", str(out))
    assert "DEFAULT_POLICE version" in exported.stdout
    assert out.read_bytes().startswith(b"PK")
    questions = manage.count("visits_checklistquestion")

    imported = manage.ok("import_xlsform", str(out))
    assert "Checklist template DEFAULT_POLICE" in imported.stdout
    assert "unchanged" in imported.stdout
    assert manage.count("visits_checklistquestion") == questions

    missing = manage("export_xlsform", "NO_SUCH", "--out", str(tmp_path / "x.xlsx"))
    assert missing.returncode != 0
    assert "No checklist template in use has the code 'NO_SUCH'" in missing.stderr


def test_import_xlsform_refuses_a_bad_file_and_writes_nothing(
    manage: ManagePy, tmp_path: Path
) -> None:
    manage.ok("load_checklists")
    templates = manage.count("visits_checklisttemplate")
    bad = tmp_path / "form.xlsx"
    bad.write_text("type,name\n", encoding="utf-8")

    result = manage("import_xlsform", str(bad))

    assert result.returncode != 0
    assert "Nothing imported:" in result.stderr
    assert "not an Excel workbook" in result.stderr
    assert "Traceback" not in result.stderr
    assert manage.count("visits_checklisttemplate") == templates
