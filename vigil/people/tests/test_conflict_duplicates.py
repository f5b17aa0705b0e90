"""A conflict of interest is declared once: a repeat (same participant, kind and institution or
agency, overlapping period) is refused with a field error, and a conflict declared twice
before that rule still shows once in the team's errors."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from vigil.people.enums import ConflictKind
from vigil.people.models import ConflictDeclaration
from vigil.people.selectors import participant_conflicts
from vigil.people.services import conflict_declare, conflict_update, conflicts_bulk_declare

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 1)


def _declare(users, participant, **data):
    return conflict_declare(actor=users["coordinator"], participant=participant, data=data)


def test_the_same_declaration_twice_is_refused(users, participants, make_institution):
    colony = make_institution()
    data = {"kind": ConflictKind.WORKED_AT_INSTITUTION, "institution": colony}
    _declare(users, participants["doctor"], declared_on=datetime.date(2025, 1, 1), **data)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        _declare(users, participants["doctor"], declared_on=datetime.date(2025, 3, 1), **data)
    assert "already declared" in exc.value.message_dict["institution"][0]
    assert ConflictDeclaration.objects.count() == 1


def test_an_agency_conflict_repeated_is_refused_on_the_agency(users, participants, ref):
    data = {"kind": ConflictKind.WORKED_FOR_AGENCY, "agency": ref["kuis"], "declared_on": DAY}
    _declare(users, participants["lead"], **data)
    with pytest.raises(ValidationError) as exc:
        _declare(users, participants["lead"], **data)
    assert "agency" in exc.value.message_dict


def test_what_differs_is_not_a_repeat(users, participants, make_institution):
    colony, other = make_institution(), make_institution()
    first = {"kind": ConflictKind.WORKED_AT_INSTITUTION, "institution": colony}
    _declare(
        users,
        participants["doctor"],
        declared_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2022, 1, 1),
        **first,
    )
    # after the first stopped applying, another kind, another institution, another person
    _declare(users, participants["doctor"], declared_on=datetime.date(2022, 1, 1), **first)
    _declare(
        users,
        participants["doctor"],
        kind=ConflictKind.RELATIVE_AT_INSTITUTION,
        institution=colony,
        declared_on=DAY,
    )
    _declare(users, participants["doctor"], declared_on=DAY, **{**first, "institution": other})
    _declare(users, participants["lead"], declared_on=DAY, **first)
    assert ConflictDeclaration.objects.count() == 5


def test_an_update_may_not_make_a_repeat(users, participants, make_institution):
    colony = make_institution()
    kind = ConflictKind.WORKED_AT_INSTITUTION
    _declare(
        users,
        participants["doctor"],
        kind=kind,
        institution=colony,
        declared_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2022, 1, 1),
    )
    later = _declare(users, participants["doctor"], kind=kind, institution=colony, declared_on=DAY)
    with pytest.raises(ValidationError):
        conflict_update(
            actor=users["coordinator"],
            conflict=later,
            data={"declared_on": datetime.date(2021, 1, 1)},
        )
    # changing the declaration itself (its end) is not a repeat of it
    conflict_update(
        actor=users["coordinator"], conflict=later, data={"ends_on": datetime.date(2027, 1, 1)}
    )


def test_a_batch_may_not_repeat_itself(participants, make_institution):
    colony = make_institution()

    def declaration():
        return ConflictDeclaration(
            participant=participants["doctor"],
            kind=ConflictKind.WORKED_AT_INSTITUTION,
            institution=colony,
            declared_on=DAY,
        )

    with pytest.raises(ValidationError):
        conflicts_bulk_declare([declaration(), declaration()])
    assert not ConflictDeclaration.objects.exists()


def test_conflicts_declared_twice_before_are_named_once(participants, make_institution):
    colony = make_institution()
    ConflictDeclaration.objects.bulk_create(
        ConflictDeclaration(
            participant=participants["doctor"],
            kind=ConflictKind.WORKED_AT_INSTITUTION,
            institution=colony,
            declared_on=datetime.date(2025, 1, 1),
        )
        for _ in range(7)
    )
    assert len(participant_conflicts(participants["doctor"], [colony], DAY)) == 1


def test_the_form_shows_the_repeat_on_its_field(client_for, participants, make_institution):
    colony = make_institution()
    url = f"/people/{participants['doctor'].public_id}/conflicts/new/"
    data = {
        "kind": "worked_at_institution",
        "institution": str(colony.public_id),
        "agency": "",
        "description": "",
        "declared_on": "2026-01-10",
        "ends_on": "",
    }
    client = client_for("coordinator")
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert response.status_code == 200
    assert "This conflict of interest is already declared" in response.content.decode()
    assert ConflictDeclaration.objects.count() == 1
