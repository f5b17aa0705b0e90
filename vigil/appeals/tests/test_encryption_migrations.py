"""The migrations that encrypt incident summaries and victim protection measures: run on
rows holding clear text they leave only ciphertexts that the services read back, and going
back gives the clear columns their text again."""

import datetime
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from vigil.core.crypto import keyring

from ..models import CriminalCase, Incident
from ..services.incidents import summary_associated_data
from ..services.victim_protection import victim_protection_associated_data

BEFORE = [("appeals", "0002_follow_up_note_encrypted")]
AFTER = [("appeals", "0004_case_victim_protection_encrypted")]
WHAT = "Askar Nurlanov was beaten after the interview"
MEASURES = "Relocated to the shelter on Abay street"

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def test_encrypting_and_back() -> None:
    apps = _migrate(BEFORE)
    day = datetime.date(2026, 3, 2)
    apps.get_model("appeals", "Incident").objects.create(
        reference="I-2026-00001", kind="reprisal", occurred_on=day, summary=WHAT
    )
    apps.get_model("appeals", "CriminalCase").objects.create(
        reference="C-2026-00001", part=1, reported_on=day, victim_protection=MEASURES
    )
    _migrate(AFTER)
    incident, case = Incident.objects.get(), CriminalCase.objects.get()
    blob, protected = bytes(incident.summary_ciphertext), bytes(case.victim_protection_ciphertext)
    assert b"Nurlanov" not in blob
    assert b"Abay" not in protected
    assert keyring().decrypt(blob, summary_associated_data(incident)).decode() == WHAT
    assert (
        keyring().decrypt(protected, victim_protection_associated_data(case)).decode() == MEASURES
    )
    apps = _migrate(BEFORE)
    assert apps.get_model("appeals", "Incident").objects.get().summary == WHAT
    assert apps.get_model("appeals", "CriminalCase").objects.get().victim_protection == MEASURES
    _migrate([("appeals", "0004_case_victim_protection_encrypted")])
