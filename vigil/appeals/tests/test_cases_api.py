"""API v1 for referrals, criminal cases and accountability: the role matrix of each endpoint,
consent refused and overridden through the API, moves and reclassification, and fields kept
out (the person referred is never in the API)."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from vigil.accounts.models import User
from vigil.appeals.enums import AppealState
from vigil.appeals.models import AccountabilityRecord, Appeal, CriminalCase, Referral
from vigil.appeals.tests.fixtures import APPELLANT_NAME
from vigil.audit.models import AccessEvent, AuditEvent


@pytest.fixture
def api_for(users: dict[str, User]) -> Callable[[str], APIClient]:
    def make(actor: str) -> APIClient:
        client = APIClient()
        if actor != "anonymous":
            client.force_authenticate(users[actor])
        return client

    return make


@pytest.fixture
def world(
    make_appeal: Callable[..., Appeal],
    make_referral: Any,
    make_case: Any,
    make_institution: Any,
    ref: dict[str, Any],
) -> dict[str, Any]:
    appeal = make_appeal(state=AppealState.TRIAGED, consent_scopes=["allegation"])
    elsewhere = make_appeal(institution=make_institution(region=ref["almaty"]))
    case = make_case(appeal=appeal, region=appeal.region, victim_pseudonym="Victim V-9")
    make_case(region=ref["almaty"])
    AccountabilityRecord.objects.create(
        decided_on=datetime.date(2023, 3, 1),
        responsibility="disciplinary",
        initiative="commissioner",
        region=ref["astana"],
    )
    AccountabilityRecord.objects.create(
        decided_on=datetime.date(2023, 3, 1),
        responsibility="criminal",
        initiative="npm_participant",
        region=ref["almaty"],
    )
    return {
        "appeal": appeal,
        "referral": make_referral(appeal),
        "other_referral": make_referral(elsewhere),
        "case": case,
    }


COUNTS = {  # referrals, cases, accountability records listed
    "coordinator": (2, 2, 2),
    "auditor": (2, 2, 2),
    "regional": (1, 1, 1),
    "monitor": (0, 0, 0),
    "liaison": (0, 0, 0),
    "other_liaison": (0, 0, 0),
    "admin": (0, 0, 0),
}


@pytest.mark.parametrize("actor", list(COUNTS))
def test_lists_role_matrix(api_for: Any, world: Any, actor: str) -> None:
    client = api_for(actor)
    for path, expected in zip(
        ("/api/v1/referrals/", "/api/v1/criminal-cases/", "/api/v1/accountability/"),
        COUNTS[actor],
        strict=True,
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.json()["count"] == expected, path


def test_anonymous_is_refused(api_for: Any, world: Any) -> None:
    for path in ("/api/v1/referrals/", "/api/v1/criminal-cases/", "/api/v1/accountability/"):
        assert api_for("anonymous").get(path).status_code in (401, 403)


@pytest.mark.parametrize(
    ("actor", "status"),
    [("coordinator", 200), ("auditor", 200), ("regional", 200), ("monitor", 404),
     ("liaison", 404), ("admin", 404)],
)  # fmt: skip
def test_retrieve_role_matrix(api_for: Any, world: Any, actor: str, status: int) -> None:
    client = api_for(actor)
    referral = client.get(f"/api/v1/referrals/{world['referral'].public_id}/")
    case = client.get(f"/api/v1/criminal-cases/{world['case'].public_id}/")
    assert (referral.status_code, case.status_code) == (status, status)
    if status == 200:
        assert APPELLANT_NAME not in referral.content.decode()
        assert "identity" not in {k for k in referral.json() if k != "discloses"}
        assert case.json()["victim_pseudonym"] == "Victim V-9"
        assert case.json()["classifications"] == []


def test_regional_of_another_region_gets_404(api_for: Any, world: Any) -> None:
    response = api_for("regional").get(f"/api/v1/referrals/{world['other_referral'].public_id}/")
    assert response.status_code == 404


def test_create_referral_refused_without_consent_then_overridden(
    api_for: Any, world: Any, users: Any
) -> None:
    appeal = world["appeal"]
    payload = {
        "appeal": str(appeal.public_id),
        "body_kind": "prosecutor",
        "body_name": "Prosecutor's office",
        "discloses": ["identity", "allegation"],
    }
    refused = api_for("coordinator").post("/api/v1/referrals/", payload, format="json")
    assert refused.status_code == 400
    assert "identity" in str(refused.json()).lower()
    regional = api_for("regional").post(
        "/api/v1/referrals/", {**payload, "override_reason": "Danger"}, format="json"
    )
    assert regional.status_code == 403
    assert Referral.objects.count() == 2
    assert not AccessEvent.objects.filter(kind="consent_overridden").exists()
    done = api_for("coordinator").post(
        "/api/v1/referrals/", {**payload, "override_reason": "Danger to life"}, format="json"
    )
    assert done.status_code == 201
    assert done.json()["overridden"] == ["identity"]
    assert AccessEvent.objects.get(kind="consent_overridden").reason == "Danger to life"
    appeal.refresh_from_db()
    assert appeal.state == AppealState.REFERRED


@pytest.mark.parametrize("actor", ["auditor", "monitor", "liaison", "admin"])
def test_denied_writes_change_nothing(api_for: Any, world: Any, actor: str) -> None:
    client = api_for(actor)
    client.post(
        "/api/v1/referrals/",
        {
            "appeal": str(world["appeal"].public_id),
            "body_kind": "court",
            "body_name": "Court",
            "discloses": ["allegation"],
        },
        format="json",
    )
    client.post(
        f"/api/v1/criminal-cases/{world['case'].public_id}/transition/",
        {"move": "register", "register_number": "1"},
        format="json",
    )
    client.post("/api/v1/criminal-cases/", {"part": 2, "reported_on": "2026-01-01"}, format="json")
    client.post(
        "/api/v1/accountability/",
        {"decided_on": "2023-01-01", "responsibility": "criminal", "initiative": "other"},
        format="json",
    )
    assert Referral.objects.count() == 2
    assert CriminalCase.objects.count() == 2
    assert AccountabilityRecord.objects.count() == 2
    world["case"].refresh_from_db()
    assert world["case"].state == "reported"
    assert not AuditEvent.objects.exists()


def test_case_create_move_and_reclassify(api_for: Any, world: Any, ref: Any) -> None:
    client = api_for("regional")
    created = client.post(
        "/api/v1/criminal-cases/",
        {
            "part": 1,
            "investigating_body": "internal_affairs",
            "region": "KZ-71",
            "reported_on": "2026-02-01",
            "info_book_entry_on": "2026-02-01",
            "referral": str(world["referral"].public_id),
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    case_id = created.json()["id"]
    assert created.json()["classifications"][0]["investigating_body"] == "internal_affairs"
    moved = client.post(
        f"/api/v1/criminal-cases/{case_id}/transition/",
        {"move": "register", "register_number": "2615", "on": "2026-02-11"},
        format="json",
    )
    assert moved.status_code == 200
    assert moved.json()["registration_delay_days"] == 10
    reclassified = client.post(
        f"/api/v1/criminal-cases/{case_id}/reclassify/",
        {"part": 2, "investigating_body": "special_prosecutor", "effective_on": "2026-02-20"},
        format="json",
    )
    assert reclassified.status_code == 200
    assert [c["part"] for c in reclassified.json()["classifications"]] == [1, 2]
    bad = client.post(
        f"/api/v1/criminal-cases/{case_id}/transition/", {"move": "convict"}, format="json"
    )
    assert bad.status_code == 400
    patched = client.patch(
        f"/api/v1/criminal-cases/{case_id}/", {"victim_protection": "Transferred"}, format="json"
    )
    assert patched.status_code == 200
    assert patched.json()["has_victim_protection"] is True
    assert "victim_protection" not in patched.json()


def test_accountability_create_and_filter(api_for: Any, world: Any) -> None:
    client = api_for("coordinator")
    created = client.post(
        "/api/v1/accountability/",
        {
            "decided_on": "2023-06-01",
            "responsibility": "administrative",
            "initiative": "npm_participant",
            "agency": "MVD-KUIS",
            "region": "KZ-71",
            "case": str(world["case"].public_id),
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["case"] == world["case"].reference
    listed = client.get("/api/v1/accountability/?initiative=npm_participant&year=2023")
    assert listed.json()["count"] == 2
