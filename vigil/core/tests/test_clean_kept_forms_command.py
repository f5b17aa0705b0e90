"""`python manage.py clean_kept_forms`, run as a user runs it (subprocess, system checks on,
a migrated SQLite file): old form keys go, recent ones stay; `--dry-run` removes nothing."""

import datetime
import sqlite3
import uuid

import pytest

from vigil.core.tests.commands import ManagePy, migrated


@pytest.fixture(scope="module")
def manage(tmp_path_factory: pytest.TempPathFactory) -> ManagePy:
    manage = migrated(tmp_path_factory.mktemp("clean-kept-forms"), seed=False)
    manage.ok(
        "shell",
        "-c",
        "from vigil.accounts.models import User; "
        "User.objects.create_user(email='m@test.vigil', password='x', full_name='M', "
        "role='monitor')",
    )
    now = datetime.datetime.now(datetime.UTC)
    user_id = manage.query("SELECT id FROM accounts_user")[0][0]
    connection = sqlite3.connect(manage.database)
    with connection:  # commits
        for days in (30, 1):
            connection.execute(
                "INSERT INTO core_formsubmission (user_id, key, location, created_at) "
                "VALUES (?, ?, '', ?)",
                (user_id, uuid.uuid4().hex, (now - datetime.timedelta(days=days)).isoformat(" ")),
            )
    connection.close()
    return manage


def test_dry_run_counts_and_removes_nothing(manage: ManagePy) -> None:
    result = manage.ok("clean_kept_forms", "--dry-run")
    assert "Would remove 0 kept files and 1 form keys." in result.stdout
    assert manage.count("core_formsubmission") == 2


def test_run_removes_the_old_keys_only(manage: ManagePy) -> None:
    result = manage.ok("clean_kept_forms")
    assert "Removed 0 kept files and 1 form keys." in result.stdout
    assert manage.count("core_formsubmission") == 1
    assert "Removed 0 kept files and 0 form keys." in manage.ok("clean_kept_forms").stdout
