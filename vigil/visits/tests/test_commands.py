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
