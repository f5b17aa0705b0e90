"""A participant's capacity (visits a year) and periods unavailable for visits: validation,
who may add and remove a period (services, pages, role matrix with DEBUG off and on), the
participant page and the API."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from conftest import ALL_ACTORS
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.people.models import ParticipantAbsence
from vigil.people.services import absence_add, absence_remove, participant_update

pytestmark = pytest.mark.django_db

ACTORS = [*ALL_ACTORS, "monitor_outsider"]
# Who may add and remove periods on the monitor's record: managers and the monitor themself.
ALLOWED = {"admin", "coordinator", "monitor"}
SUMMER = {"starts_on": datetime.date(2027, 7, 1), "ends_on": datetime.date(2027, 7, 20)}
DEBUG = pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])


@pytest.fixture
def own(participants, ref):
    """The monitor's record, in Astana (the regional representative's region: they see it)."""
    participant = participants["monitor"]
    participant.region = ref["astana"]
    participant.save()
    return participant


def audit_rows():
    return list(
        AuditEvent.objects.exclude(action=AuditAction.USER_LOGGED_IN).values_list("pk", flat=True)
    )


# ---------------------------------------------------------------- validation


def test_visits_per_year_is_bounded(users, participants):
    doctor = participants["doctor"]
    for value in (0, 61):
        with pytest.raises(ValidationError) as caught:
            participant_update(
                actor=users["coordinator"], participant=doctor, data={"visits_per_year": value}
            )
        assert "visits_per_year" in caught.value.message_dict
    changes = participant_update(
        actor=users["coordinator"], participant=doctor, data={"visits_per_year": 60}
    )
    assert changes == {"visits_per_year": [None, 60]}
    doctor.refresh_from_db()
    assert doctor.visits_per_year == 60


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "field"),
    [
        ("2027-07-20", "2027-07-19", "ends_on"),
        ("1999-12-31", "2000-01-05", "starts_on"),
        ("2100-12-30", "2101-01-01", "ends_on"),
    ],
)
def test_a_period_must_end_after_it_starts_within_bounds(
    users, participants, starts_on, ends_on, field
):
    data = {
        "starts_on": datetime.date.fromisoformat(starts_on),
        "ends_on": datetime.date.fromisoformat(ends_on),
    }
    with pytest.raises(ValidationError) as caught:
        absence_add(actor=users["coordinator"], participant=participants["doctor"], data=data)
    assert field in caught.value.message_dict
    assert not ParticipantAbsence.objects.exists()


def test_a_one_day_period_is_fine(users, participants):
    day = datetime.date(2027, 3, 8)
    absence = absence_add(
        actor=users["coordinator"],
        participant=participants["doctor"],
        data={"starts_on": day, "ends_on": day, "reason": "ignored: no such field"},
    )
    assert (absence.starts_on, absence.ends_on) == (day, day)
    assert not hasattr(absence, "reason")


# ---------------------------------------------------------------- services and permissions


@pytest.mark.parametrize("actor", [a for a in ACTORS if a != "anonymous"])
def test_service_role_matrix(users, participants, own, actor):
    before = audit_rows()
    if actor not in ALLOWED:
        with pytest.raises(PermissionDenied):
            absence_add(actor=users[actor], participant=own, data=SUMMER)
        kept = ParticipantAbsence.objects.create(participant=own, **SUMMER)
        with pytest.raises(PermissionDenied):
            absence_remove(actor=users[actor], absence=kept)
        assert ParticipantAbsence.objects.filter(pk=kept.pk).exists()
        assert audit_rows() == before
        return
    absence = absence_add(actor=users[actor], participant=own, data=SUMMER)
    added = AuditEvent.objects.get(action=AuditAction.ABSENCE_ADDED)
    assert added.actor == users[actor]
    assert added.target_id == str(own.public_id)
    assert added.data["fields"] == {"starts_on": "2027-07-01", "ends_on": "2027-07-20"}
    absence_remove(actor=users[actor], absence=absence)
    assert not ParticipantAbsence.objects.exists()
    removed = AuditEvent.objects.get(action=AuditAction.ABSENCE_REMOVED)
    assert removed.data["absence"] == str(absence.public_id)


def test_a_monitor_cannot_declare_leave_for_someone_else(users, participants):
    with pytest.raises(PermissionDenied):
        absence_add(actor=users["monitor"], participant=participants["doctor"], data=SUMMER)
    assert not ParticipantAbsence.objects.exists()


# ---------------------------------------------------------------- pages


@DEBUG
@pytest.mark.parametrize("actor", ACTORS)
def test_add_and_remove_page_role_matrix(client_for, participants, own, actor, debug):
    client = client_for(actor)
    kept = ParticipantAbsence.objects.create(
        participant=own, starts_on=datetime.date(2027, 3, 1), ends_on=datetime.date(2027, 3, 5)
    )
    before = audit_rows()
    with override_settings(DEBUG=debug):
        added = client.post(
            f"/people/{own.public_id}/absences/new/",
            {"absence-starts_on": "2027-07-01", "absence-ends_on": "2027-07-20"},
        )
        removed = client.post(f"/people/{own.public_id}/absences/{kept.public_id}/delete/")
        fetched = client.get(f"/people/{own.public_id}/absences/new/")
    if actor == "anonymous":
        assert added.status_code == removed.status_code == 302
        assert added["Location"].startswith("/accounts/login/")
    elif actor in ALLOWED:
        assert added.status_code == removed.status_code == 302
        assert added["Location"] == f"/people/{own.public_id}/"
        assert fetched.status_code == 405
        period = ParticipantAbsence.objects.get()
        assert (period.starts_on, period.ends_on) == (
            datetime.date(2027, 7, 1),
            datetime.date(2027, 7, 20),
        )
        return
    else:
        # Those who see the record (auditor, regional representative of its region): 403;
        # those who do not (liaison, a monitor on another record): 404.
        expected = 403 if actor in ("auditor", "regional") else 404
        assert added.status_code == removed.status_code == expected, actor
    assert list(ParticipantAbsence.objects.all()) == [kept]
    assert audit_rows() == before


@DEBUG
def test_detail_shows_capacity_and_periods(client_for, participants, own, debug):
    own.visits_per_year = 9
    own.save()
    absence = ParticipantAbsence.objects.create(participant=own, **SUMMER)
    remove = f"/people/{own.public_id}/absences/{absence.public_id}/delete/"
    with override_settings(DEBUG=debug):
        mine = client_for("monitor").get(f"/people/{own.public_id}/").content.decode()
        audited = client_for("auditor").get(f"/people/{own.public_id}/").content.decode()
        other = (
            client_for("coordinator")
            .get(f"/people/{participants['doctor'].public_id}/")
            .content.decode()
        )
    assert "Unavailable for visits" in mine
    assert 'data-testid="visits-per-year">9<' in mine
    assert remove in mine
    assert 'name="absence-starts_on"' in mine
    # The auditor reads the periods but has no form and no remove button.
    assert "2027-07-01" in audited
    assert "2027-07-20" in audited
    assert remove not in audited
    assert 'name="absence-starts_on"' not in audited
    assert "the plan's default" in other
    assert "No unavailable period recorded." in other


def test_an_invalid_period_shows_the_page_with_the_error(client_for, own):
    response = client_for("monitor").post(
        f"/people/{own.public_id}/absences/new/",
        {"absence-starts_on": "2027-07-20", "absence-ends_on": "2027-07-01"},
    )
    assert response.status_code == 200
    assert "The period cannot end before it starts." in response.content.decode()
    assert not ParticipantAbsence.objects.exists()


def test_a_period_of_another_participant_is_not_found(client_for, participants, own):
    other = ParticipantAbsence.objects.create(participant=participants["doctor"], **SUMMER)
    response = client_for("coordinator").post(
        f"/people/{own.public_id}/absences/{other.public_id}/delete/"
    )
    assert response.status_code == 404
    assert ParticipantAbsence.objects.filter(pk=other.pk).exists()


def test_edit_form_sets_visits_per_year(client_for, participants):
    doctor = participants["doctor"]
    response = client_for("coordinator").post(
        f"/people/{doctor.public_id}/edit/",
        {"profession": "doctor", "accredited_from": "2020-01-01", "visits_per_year": "14"},
    )
    assert response.status_code == 302
    doctor.refresh_from_db()
    assert doctor.visits_per_year == 14
    event = AuditEvent.objects.get(action=AuditAction.PARTICIPANT_UPDATED)
    assert event.data["changes"]["visits_per_year"] == [None, 14]


# ---------------------------------------------------------------- API


def test_api_reads_periods_and_writes_visits_per_year(client_for, participants, own):
    ParticipantAbsence.objects.create(participant=own, **SUMMER)
    url = f"/api/v1/participants/{own.public_id}/"
    body = client_for("monitor").get(url).json()
    assert body["visits_per_year"] is None
    assert [(a["starts_on"], a["ends_on"]) for a in body["absences"]] == [
        ("2027-07-01", "2027-07-20")
    ]
    client = client_for("coordinator")
    refused = client.patch(url, {"visits_per_year": 61}, content_type="application/json")
    assert refused.status_code == 400
    assert "visits_per_year" in refused.json()["errors"]
    patched = client.patch(url, {"visits_per_year": 8}, content_type="application/json")
    assert patched.status_code == 200
    assert patched.json()["visits_per_year"] == 8
    # The periods are read only in the API.
    client.patch(url, {"absences": []}, content_type="application/json")
    assert ParticipantAbsence.objects.filter(participant=own).count() == 1
