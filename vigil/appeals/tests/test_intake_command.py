"""`manage.py intake_partner create|list|revoke|rotate`, run as an operator runs it: in a
subprocess, system checks on, against a migrated SQLite file."""

import hashlib
import re

import pytest

from vigil.core.tests.commands import ManagePy, migrated


@pytest.fixture(scope="module")
def manage(tmp_path_factory: pytest.TempPathFactory) -> ManagePy:
    return migrated(tmp_path_factory.mktemp("intake-commands"), seed=False)


def _token(stdout: str) -> str:
    match = re.search(r"Token \(shown once, keep it safe\): (\S+)", stdout)
    assert match, stdout
    return match.group(1)


def _partner(manage: ManagePy, name: str) -> tuple[str, str, int]:
    rows = manage.query(
        "SELECT token_hash, token_prefix, active FROM appeals_intakepartner WHERE name = ?", (name,)
    )
    assert len(rows) == 1
    return rows[0]


def _audited(manage: ManagePy, action: str) -> int:
    return manage.count("audit_auditevent", "action = ?", (action,))


def test_create_list_rotate_revoke(manage: ManagePy) -> None:
    created = manage.ok("intake_partner", "create", "Terminals North", "--kind", "terminal")
    token = _token(created.stdout)
    token_hash, prefix, active = _partner(manage, "Terminals North")
    assert token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token.startswith(prefix)
    assert active == 1
    assert _audited(manage, "intake_partner.created") == 1
    # The token is nowhere in the database, only its hash.
    assert manage.count("audit_auditevent", "data LIKE ?", (f"%{token}%",)) == 0

    listed = manage.ok("intake_partner", "list")
    assert "Terminals North\tterminal\tactive" in listed.stdout
    assert token not in listed.stdout

    rotated = manage.ok("intake_partner", "rotate", "Terminals North")
    new = _token(rotated.stdout)
    assert new != token
    assert _partner(manage, "Terminals North")[0] == hashlib.sha256(new.encode()).hexdigest()

    manage.ok("intake_partner", "revoke", "Terminals North")
    assert _partner(manage, "Terminals North")[2] == 0
    assert "Terminals North\tterminal\trevoked" in manage.ok("intake_partner", "list").stdout
    assert _audited(manage, "intake_partner.updated") == 2


def test_refusals(manage: ManagePy) -> None:
    manage.ok("intake_partner", "create", "Bureau", "--kind", "ngo")
    duplicate = manage("intake_partner", "create", "Bureau", "--kind", "ngo")
    assert duplicate.returncode != 0
    assert "already exists" in duplicate.stderr
    unknown = manage("intake_partner", "revoke", "Nobody")
    assert unknown.returncode != 0
    assert "No intake partner is called" in unknown.stderr
    bad_kind = manage("intake_partner", "create", "X", "--kind", "bank")
    assert bad_kind.returncode != 0
    assert manage.count("appeals_intakepartner", "name = 'X'") == 0
