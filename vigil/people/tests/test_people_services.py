"""People services and the eligibility checks used when a team is chosen."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.people.enums import ConflictKind, Profession
from vigil.people.models import ConflictDeclaration, Participant
from vigil.people.selectors import (
    participant_accreditation_errors,
    participant_conflicts,
)
from vigil.people.services import (
    conflict_declare,
    conflict_update,
    participant_create,
    participant_update,
    training_record,
)

DAY = datetime.date(2026, 12, 1)


def _new_account(email="new@test.vigil", role=Role.MONITOR):
    return User.objects.create_user(email=email, password="x" * 12, full_name="New One", role=role)


def test_create_links_an_account_and_audits(users):
    account = _new_account()
    participant = participant_create(
        actor=users["coordinator"],
        user=account,
        data={"profession": Profession.DOCTOR, "accredited_from": datetime.date(2026, 1, 1)},
    )
    assert participant.user == account
    event = AuditEvent.objects.get(action=AuditAction.PARTICIPANT_CREATED)
    assert event.target_id == str(participant.public_id)
    assert event.data["account"] == account.email


@pytest.mark.parametrize("role", [Role.LIAISON, Role.AUDITOR, Role.ADMIN])
def test_create_refuses_accounts_that_cannot_be_participants(users, role):
    account = _new_account(role=role)
    if role == Role.LIAISON:
        account.agency = users["liaison"].agency
        account.save()
    with pytest.raises(ValidationError) as exc:
        participant_create(
            actor=users["coordinator"],
            user=account,
            data={"profession": Profession.LAWYER, "accredited_from": DAY},
        )
    assert "user" in exc.value.message_dict
    assert not Participant.objects.filter(user=account).exists()


def test_create_refuses_a_second_record(users, participants):
    with pytest.raises(ValidationError, match="already an NPM participant"):
        participant_create(
            actor=users["coordinator"],
            user=users["monitor"],
            data={"profession": Profession.LAWYER, "accredited_from": DAY},
        )


@pytest.mark.parametrize("actor", ["regional", "monitor", "liaison", "auditor"])
def test_only_managers_write(users, participants, actor):
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        participant_create(
            actor=users[actor],
            user=_new_account(),
            data={"profession": Profession.LAWYER, "accredited_from": DAY},
        )
    with pytest.raises(PermissionDenied):
        participant_update(
            actor=users[actor], participant=participants["doctor"], data={"organisation": "X"}
        )
    with pytest.raises(PermissionDenied):
        training_record(
            actor=users[actor],
            participant=participants["doctor"],
            data={"title": "OPCAT", "completed_on": DAY},
        )
    assert AuditEvent.objects.count() == before


def test_update_records_the_changes(users, participants):
    changes = participant_update(
        actor=users["admin"],
        participant=participants["doctor"],
        data={"organisation": "Clinic", "accredited_to": datetime.date(2027, 1, 1)},
    )
    assert changes["organisation"] == ["", "Clinic"]
    assert AuditEvent.objects.filter(action=AuditAction.PARTICIPANT_UPDATED).count() == 1
    # Nothing changed: no audit row.
    assert (
        participant_update(
            actor=users["admin"],
            participant=participants["doctor"],
            data={"organisation": "Clinic"},
        )
        == {}
    )
    assert AuditEvent.objects.filter(action=AuditAction.PARTICIPANT_UPDATED).count() == 1


def test_accreditation_cannot_end_before_it_starts(users, participants):
    with pytest.raises(ValidationError) as exc:
        participant_update(
            actor=users["coordinator"],
            participant=participants["doctor"],
            data={"accredited_to": datetime.date(2019, 1, 1)},
        )
    assert "accredited_to" in exc.value.message_dict


def test_conflict_with_an_institution(users, participants, make_institution):
    colony, other = make_institution(), make_institution()
    conflict_declare(
        actor=users["coordinator"],
        participant=participants["doctor"],
        data={
            "kind": ConflictKind.WORKED_AT_INSTITUTION,
            "institution": colony,
            "description": "Prison doctor until 2024",
            "declared_on": datetime.date(2025, 1, 1),
        },
    )
    messages = participant_conflicts(participants["doctor"], [colony, other], DAY)
    assert len(messages) == 1
    assert "Team Doctor" in messages[0]
    assert colony.name in messages[0]
    assert "Worked at the institution" in messages[0]
    assert "Prison doctor until 2024" in messages[0]
    assert participant_conflicts(participants["doctor"], [other], DAY) == []
    assert AuditEvent.objects.filter(action=AuditAction.CONFLICT_DECLARED).count() == 1


def test_conflict_with_an_agency_covers_its_sub_units(users, participants, make_institution, ref):
    in_subtree = make_institution(agency=ref["kuis_71"])
    police = make_institution(type=ref["ivs"], agency=ref["police"])
    conflict_declare(
        actor=users["coordinator"],
        participant=participants["lead"],
        data={
            "kind": ConflictKind.RELATIVE_AT_AGENCY,
            "agency": ref["kuis"],
            "declared_on": datetime.date(2025, 1, 1),
        },
    )
    messages = participant_conflicts(participants["lead"], [in_subtree, police], DAY)
    assert len(messages) == 1
    assert ref["kuis"].name in messages[0]
    assert in_subtree.name in messages[0]
    assert "A relative works for the agency" in messages[0]


def test_a_conflict_that_ended_no_longer_applies(users, participants, make_institution):
    colony = make_institution()
    conflict = conflict_declare(
        actor=users["coordinator"],
        participant=participants["doctor"],
        data={
            "kind": ConflictKind.RELATIVE_AT_INSTITUTION,
            "institution": colony,
            "declared_on": datetime.date(2025, 1, 1),
        },
    )
    assert participant_conflicts(participants["doctor"], [colony], DAY)
    conflict_update(
        actor=users["coordinator"], conflict=conflict, data={"ends_on": datetime.date(2026, 6, 1)}
    )
    assert participant_conflicts(participants["doctor"], [colony], DAY) == []
    assert AuditEvent.objects.filter(action=AuditAction.CONFLICT_UPDATED).count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": ConflictKind.WORKED_AT_INSTITUTION}, "institution"),
        ({"kind": ConflictKind.WORKED_FOR_AGENCY}, "agency"),
        ({"kind": ConflictKind.OTHER}, "__all__"),
    ],
    ids=["institution-kind-without-institution", "agency-kind-without-agency", "nothing-named"],
)
def test_conflict_must_name_its_target(users, participants, data, field):
    with pytest.raises(ValidationError) as exc:
        conflict_declare(
            actor=users["coordinator"],
            participant=participants["doctor"],
            data={**data, "declared_on": DAY},
        )
    assert field in exc.value.message_dict
    assert not ConflictDeclaration.objects.exists()


def test_monitor_may_declare_own_conflict_only(users, participants, make_institution):
    colony = make_institution()
    data = {
        "kind": ConflictKind.WORKED_AT_INSTITUTION,
        "institution": colony,
        "declared_on": DAY,
    }
    conflict_declare(actor=users["monitor"], participant=participants["monitor"], data=data)
    with pytest.raises(PermissionDenied):
        conflict_declare(actor=users["monitor"], participant=participants["doctor"], data=data)
    assert ConflictDeclaration.objects.count() == 1


def test_accreditation_errors_name_the_period(participants):
    doctor = participants["doctor"]
    doctor.accredited_to = datetime.date(2026, 6, 30)
    doctor.save()
    errors = participant_accreditation_errors(doctor, DAY)
    assert len(errors) == 1
    assert "Team Doctor is not accredited on" in errors[0]
    assert participant_accreditation_errors(doctor, datetime.date(2026, 6, 1)) == []
    # A visit that runs past the end of accreditation is refused too.
    assert participant_accreditation_errors(
        doctor, datetime.date(2026, 6, 29), datetime.date(2026, 7, 2)
    )


def test_disabled_account_is_not_eligible(participants):
    user = participants["doctor"].user
    user.is_active = False
    user.save()
    assert participant_accreditation_errors(participants["doctor"], DAY)
