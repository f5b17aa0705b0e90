"""Accountability records: recorded and corrected through the service (audited), the list's
filters and its counts by initiative, the role matrix."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings

from vigil.accounts.models import User
from vigil.appeals.models import AccountabilityRecord
from vigil.appeals.services.accountability import accountability_record, accountability_update
from vigil.audit.models import AuditEvent


@pytest.fixture
def records(users: dict[str, User], ref: dict[str, Any]) -> list[AccountabilityRecord]:
    made = []
    for n, (initiative, region) in enumerate(
        [
            ("commissioner", ref["astana"]),
            ("commissioner", ref["astana"]),
            ("npm_participant", ref["astana"]),
            ("other", ref["almaty"]),
        ]
    ):
        made.append(
            accountability_record(
                actor=users["coordinator"],
                data={
                    "decided_on": datetime.date(2023, 1 + n, 10),
                    "responsibility": "disciplinary",
                    "initiative": initiative,
                    "position": f"Officer {n}",
                    "agency": ref["kuis_71"],
                    "region": region,
                },
            )
        )
    return made


def test_recorded_and_updated_with_audit(users: dict[str, User], records: Any, ref: Any) -> None:
    assert AuditEvent.objects.filter(action="accountability.recorded").count() == 4
    record = accountability_update(
        actor=users["regional"], record=records[0], data={"measure": "Dismissal"}
    )
    assert record.measure == "Dismissal"
    audit = AuditEvent.objects.get(action="accountability.updated")
    assert audit.data["changes"]["measure"] == ["", "Dismissal"]
    with pytest.raises(PermissionDenied):
        accountability_update(actor=users["regional"], record=records[3], data={"measure": "x"})
    with pytest.raises(PermissionDenied):
        accountability_record(
            actor=users["auditor"],
            data={
                "decided_on": datetime.date(2023, 1, 1),
                "responsibility": "criminal",
                "initiative": "other",
            },
        )
    assert AccountabilityRecord.objects.count() == 4


def test_list_counts_by_initiative_of_what_is_shown(
    client_for: Callable[[str], Any], records: Any
) -> None:
    response = client_for("coordinator").get("/appeals/accountability/?year=2023")
    assert response.status_code == 200
    counts = dict(response.context["by_initiative"])
    assert list(counts.values()) == [2, 1, 1]
    narrowed = client_for("coordinator").get("/appeals/accountability/?region=KZ-71")
    assert [c for _l, c in narrowed.context["by_initiative"]] == [2, 1, 0]
    regional = client_for("regional").get("/appeals/accountability/")
    assert regional.context["page"].paginator.count == 3


EDIT = {
    "anonymous": 302,
    "coordinator": 200,
    "regional": 200,
    "auditor": 403,
    "monitor": 404,
    "liaison": 404,
    "admin": 404,
}


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
@pytest.mark.parametrize("actor", list(EDIT))
def test_edit_role_matrix(
    client_for: Callable[[str], Any], records: Any, actor: str, debug: bool
) -> None:
    with override_settings(DEBUG=debug):
        response = client_for(actor).get(f"/appeals/accountability/{records[0].public_id}/edit/")
    assert response.status_code == EDIT[actor]
    response = client_for(actor).post(
        f"/appeals/accountability/{records[0].public_id}/edit/",
        {
            "decided_on": "2023-01-10",
            "responsibility": "criminal",
            "initiative": "commissioner",
            "region": records[0].region_id,
            "agency": records[0].agency_id,
        },
    )
    records[0].refresh_from_db()
    if EDIT[actor] == 200:
        assert response.status_code == 302
        assert records[0].responsibility == "criminal"
    else:
        assert records[0].responsibility == "disciplinary"
        assert not AuditEvent.objects.filter(action="accountability.updated").exists()


def test_regional_of_another_region_gets_404(
    client_for: Callable[[str], Any], records: Any
) -> None:
    response = client_for("regional").get(f"/appeals/accountability/{records[3].public_id}/edit/")
    assert response.status_code == 404


def test_create_page(client_for: Callable[[str], Any], ref: Any, users: Any) -> None:
    client = client_for("coordinator")
    assert client.get("/appeals/accountability/new/").status_code == 200
    response = client.post(
        "/appeals/accountability/new/",
        {
            "decided_on": "2099-01-01",
            "responsibility": "criminal",
            "initiative": "npm_participant",
            "position": "Deputy head",
        },
    )
    assert response.status_code == 200
    assert 'value="Deputy head"' in response.content.decode()
    assert AccountabilityRecord.objects.count() == 0
    response = client.post(
        "/appeals/accountability/new/",
        {
            "decided_on": "2023-05-01",
            "responsibility": "criminal",
            "initiative": "npm_participant",
            "region": ref["astana"].pk,
        },
    )
    assert response.status_code == 302
    assert AccountabilityRecord.objects.get().initiative == "npm_participant"
    assert client_for("monitor").get("/appeals/accountability/new/").status_code == 403


def test_links_to_a_visible_case_by_reference(
    client_for: Callable[[str], Any], make_case: Any, ref: Any
) -> None:
    case = make_case(region=ref["astana"])
    elsewhere = make_case(region=ref["almaty"])
    data = {
        "decided_on": "2023-05-01",
        "responsibility": "criminal",
        "initiative": "commissioner",
        "region": ref["astana"].pk,
    }
    refused = client_for("regional").post(
        "/appeals/accountability/new/", {**data, "case": elsewhere.reference}
    )
    assert refused.status_code == 200
    assert "that you may see" in refused.content.decode()
    assert not AccountabilityRecord.objects.exists()
    done = client_for("regional").post(
        "/appeals/accountability/new/", {**data, "case": case.reference}
    )
    assert done.status_code == 302
    record = AccountabilityRecord.objects.get()
    assert record.case == case
    page = client_for("regional").get(f"/appeals/accountability/{record.public_id}/edit/")
    assert f'value="{case.reference}"' in page.content.decode()
