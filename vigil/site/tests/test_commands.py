"""The site's setup command, run as a user runs it: `python manage.py seed_reference_data` in a
subprocess, system checks on, against a migrated SQLite file (see vigil/core/tests/commands.py).
"""

import pytest

from vigil.core.tests.commands import ManagePy, migrated


@pytest.fixture(scope="module")
def manage(tmp_path_factory: pytest.TempPathFactory) -> ManagePy:
    return migrated(tmp_path_factory.mktemp("site-commands"))


def test_seed_reference_data_loads_once_and_again_changes_nothing(manage: ManagePy) -> None:
    regions = manage.count("registry_region")
    agencies = manage.count("registry_agency")
    assert regions >= 17
    assert agencies > regions
    templates = manage.count("visits_checklisttemplate")
    assert templates == 8  # the checklists are loaded with the reference data
    result = manage.ok("seed_reference_data", "--country", "kz")
    assert "Reference data for KZ" in result.stdout
    assert "0 created, 0 updated" in result.stdout
    assert manage.count("registry_region") == regions
    assert manage.count("registry_agency") == agencies
    assert manage.count("visits_checklisttemplate") == templates
