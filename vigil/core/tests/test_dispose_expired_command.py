"""`python manage.py dispose_expired`, run as a user runs it (subprocess, system checks on, a
migrated SQLite file): the dry run counts per kind and changes nothing; the run disposes of
the expired appeal (content erased, identity removed, a tombstone and an audit row), keeps the
held one and the recent one, and a second run finds nothing to do."""

import pytest

from vigil.core.tests.commands import ManagePy, migrated

SETUP = """
import datetime
from vigil.accounts.models import User
from vigil.appeals.models import Appeal, AppealIdentity
from vigil.appeals.services.appeals import content_associated_data, identity_associated_data
from vigil.core.crypto import keyring
from vigil.core.models import LegalHold
from vigil.core.sealing import identity_seal

coordinator = User.objects.create_user(
    email='c@test.vigil', password='x', full_name='C', role='coordinator'
)
for reference, closed in (
    ('OLD', datetime.date(2010, 1, 5)),
    ('HELD', datetime.date(2010, 1, 5)),
    ('RECENT', datetime.date(2024, 1, 5)),
):
    appeal = Appeal(
        reference=reference, channel='letter', state='closed_resolved',
        received_on=closed, closed_on=closed, content_key_version=1,
    )
    appeal.content_ciphertext = keyring().encrypt(
        b'SECRET CONTENT', content_associated_data(appeal)
    )
    appeal.save()
    blob, version = identity_seal('Name', associated_data=identity_associated_data(appeal))
    AppealIdentity.objects.create(appeal=appeal, ciphertext=blob, key_version=version)
held = Appeal.objects.get(reference='HELD')
LegalHold.objects.create(
    target_type='appeals.appeal', target_id=held.public_id, reason='Case', placed_by=coordinator
)
"""


@pytest.fixture(scope="module")
def manage(tmp_path_factory: pytest.TempPathFactory) -> ManagePy:
    manage = migrated(tmp_path_factory.mktemp("dispose-expired"))
    manage.ok("shell", "-c", SETUP)
    return manage


def test_dry_run_counts_and_changes_nothing(manage: ManagePy) -> None:
    result = manage.ok("dispose_expired", "--dry-run", "--today", "2026-06-01")
    assert (
        "closed appeals' content and sealed identities "
        "(appeals: content and identity 5 years after closure): "
        "1 would be disposed of, 1 on hold"
    ) in result.stdout
    assert "Dry run: nothing was changed." in result.stdout
    assert "SECRET" not in result.stdout
    assert manage.count("core_disposal") == 0
    assert manage.count("appeals_appealidentity") == 3


def test_run_disposes_of_the_expired_unheld_appeal_once(manage: ManagePy) -> None:
    result = manage.ok("dispose_expired", "--today", "2026-06-01")
    assert "1 disposed of, 1 on hold" in result.stdout
    assert manage.query("SELECT target_type, kind, expired_on FROM core_disposal") == [
        ("appeals.appeal", "appeal", "2015-01-05")
    ]
    remaining = manage.query(
        "SELECT a.reference FROM appeals_appealidentity i "
        "JOIN appeals_appeal a ON a.id = i.appeal_id ORDER BY a.reference"
    )
    assert remaining == [("HELD",), ("RECENT",)]
    assert manage.count("appeals_appeal") == 3  # the row stays for statistics
    assert manage.count("audit_auditevent", "action = 'retention.disposed'") == 1
    again = manage.ok("dispose_expired", "--today", "2026-06-01")
    assert "0 disposed of, 1 on hold" in again.stdout
    assert manage.count("core_disposal") == 1


def test_a_wrong_date_is_refused(manage: ManagePy) -> None:
    result = manage("dispose_expired", "--today", "June")
    assert result.returncode != 0
    assert "--today takes a date as YYYY-MM-DD." in result.stderr
