"""The participants list's export and sort: who may export it, and what it holds."""

import csv
import io

import pytest

from conftest import ALL_ACTORS
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent

ACTORS = [*ALL_ACTORS, "monitor_outsider"]

EXPORTS = {
    "admin": {"monitor", "lead", "doctor", "outsider"},
    "coordinator": {"monitor", "lead", "doctor", "outsider"},
    "auditor": {"monitor", "lead", "doctor", "outsider"},
    "regional": {"doctor"},
}


@pytest.fixture(autouse=True)
def _people(participants, ref):
    """Doctor in Astana (the regional representative's region), lead in Almaty; a note."""
    participants["doctor"].region = ref["astana"]
    participants["doctor"].notes = "Private note about availability"
    participants["doctor"].save()
    participants["lead"].region = ref["almaty"]
    participants["lead"].save()


def rows_of(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def exports():
    return AuditEvent.objects.filter(action=AuditAction.LIST_EXPORTED)


@pytest.mark.parametrize("actor", ACTORS)
def test_who_exports_the_participants(client_for, participants, actor):
    response = client_for(actor).get("/people/?export=csv")
    if actor not in EXPORTS:
        # Anonymous: to the login; monitors: to their own record; liaisons: forbidden.
        assert response.status_code in (302, 403)
        assert not exports().exists()
        return
    assert response.status_code == 200
    rows = rows_of(response)
    emails = {row["email"] for row in rows}
    assert emails == {participants[key].user.email for key in EXPORTS[actor]}
    assert exports().get().data == {
        "list": "participants",
        "format": "csv",
        "filters": {},
        "rows": len(EXPORTS[actor]),
    }


def test_the_export_holds_codes_and_dates_not_notes(client_for, participants):
    response = client_for("coordinator").get("/people/?profession=doctor&export=csv")
    (row,) = rows_of(response)
    assert row == {
        "full_name": "Team Doctor",
        "email": "doctor@test.vigil",
        "profession": "doctor",
        "region": "KZ-71",
        "organisation": "",
        "accredited_from": "2020-01-01",
        "accredited_to": "",
        "active": "True",
    }
    assert "Private note" not in response.content.decode()
    page = client_for("coordinator").get("/people/").content.decode()
    assert "Notes, training and declared conflicts of interest are not exported." in page


def test_the_participants_sort_and_filter_by_account(client_for, participants):
    client = client_for("coordinator")

    def names(query):
        page = client.get(f"/people/?{query}")
        listed = [p.user.full_name for p in page.context["page"].object_list]
        exported = [row["full_name"] for row in rows_of(client.get(f"/people/?{query}&export=csv"))]
        assert listed == exported
        return listed

    assert names("") == ["Outsider", "Team Doctor", "Team Lead", "Test Monitor (NPM participant)"]
    assert names("ordering=-name") == [
        "Test Monitor (NPM participant)",
        "Team Lead",
        "Team Doctor",
        "Outsider",
    ]
    assert names("ordering=profession")[0] == "Team Doctor"  # "doctor" first
    assert names("ordering=region")[:2] == ["Team Doctor", "Team Lead"]  # KZ-71, KZ-75
    participants["outsider"].user.is_active = False
    participants["outsider"].user.save()
    assert names("active=false") == ["Outsider"]
    assert len(names("active=true")) == 3
