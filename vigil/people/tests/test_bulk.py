"""`participants_bulk_create` and `conflicts_bulk_declare`: rows checked as the one-row
services check them, one audit row each."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from vigil.accounts.models import User
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.people.enums import ConflictKind, Profession
from vigil.people.models import ConflictDeclaration, Participant, TrainingRecord
from vigil.people.services import conflicts_bulk_declare, participants_bulk_create

pytestmark = pytest.mark.django_db

DAY = datetime.date(2020, 1, 1)


def _participant(user: User) -> Participant:
    return Participant(user=user, profession=Profession.LAWYER, accredited_from=DAY)


def test_participants_with_trainings_audited(users: dict[str, User]) -> None:
    participant = _participant(users["monitor"])
    training = TrainingRecord(participant=participant, title="Basic course", completed_on=DAY)
    (created,) = participants_bulk_create([participant], [training], audit_data={"demo_data": "x"})

    assert created.pk is not None
    assert list(created.trainings.values_list("title", flat=True)) == ["Basic course"]
    event = AuditEvent.objects.get(action=AuditAction.PARTICIPANT_CREATED)
    assert event.target_id == str(created.public_id)
    assert event.data["account"] == users["monitor"].email
    assert event.data["demo_data"] == "x"
    assert AuditEvent.objects.filter(action=AuditAction.TRAINING_RECORDED).count() == 1


def test_an_account_that_cannot_be_a_participant_writes_nothing(users: dict[str, User]) -> None:
    with pytest.raises(ValidationError):
        participants_bulk_create([_participant(users["monitor"]), _participant(users["auditor"])])
    assert not Participant.objects.exists()
    assert not AuditEvent.objects.exists()


def test_conflicts_checked_and_audited(
    users: dict[str, User], ref: dict[str, Any], make_institution: Callable[..., Any]
) -> None:
    (participant,) = participants_bulk_create([_participant(users["monitor"])])
    good = ConflictDeclaration(
        participant=participant,
        kind=ConflictKind.WORKED_FOR_AGENCY,
        agency=ref["kuis_71"],
        declared_on=DAY,
    )
    (declared,) = conflicts_bulk_declare([good])
    event = AuditEvent.objects.get(action=AuditAction.CONFLICT_DECLARED)
    assert event.data["conflict"] == str(declared.public_id)

    both = ConflictDeclaration(
        participant=participant,
        kind=ConflictKind.WORKED_FOR_AGENCY,
        agency=ref["kuis_71"],
        institution=make_institution(),
        declared_on=DAY,
    )
    with pytest.raises(ValidationError):
        conflicts_bulk_declare([both])
    assert ConflictDeclaration.objects.count() == 1
