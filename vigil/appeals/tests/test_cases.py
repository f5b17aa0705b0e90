"""Criminal cases (art. 146): recorded with their first classification, reclassification
history, the registration delay, the life cycle, suspects, and the role matrix of the pages
(the victim by pseudonym only; a liaison or an administrator never sees a case)."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from vigil.accounts.models import User
from vigil.appeals.enums import CaseState
from vigil.appeals.models import CaseClassification, CriminalCase, InvestigatingBody
from vigil.appeals.services.cases import (
    case_create,
    case_reclassify,
    case_transition,
    case_update,
    suspect_add,
)
from vigil.audit.models import AuditEvent


def _body(code: str) -> InvestigatingBody:
    return InvestigatingBody.objects.get(code=code)


@pytest.fixture
def case(users: dict[str, User], appeal_reference: Any, make_institution: Any) -> CriminalCase:
    return case_create(
        actor=users["coordinator"],
        data={
            "institution": make_institution(),
            "reported_on": datetime.date(2026, 3, 2),
            "info_book_entry_on": datetime.date(2026, 3, 2),
            "victim_pseudonym": "Victim V-7",
        },
        part=1,
        investigating_body=_body("internal_affairs"),
    )


def test_create_writes_the_first_classification(case: CriminalCase) -> None:
    assert case.reference.startswith("C-2026-")
    assert case.region is not None  # from the institution
    row = CaseClassification.objects.get(case=case)
    assert (row.part, row.investigating_body, row.effective_on) == (
        1,
        _body("internal_affairs"),
        datetime.date(2026, 3, 2),
    )
    assert AuditEvent.objects.filter(action="case.created").count() == 1
    assert case.events.filter(kind="created").count() == 1


def test_reclassification_history(users: dict[str, User], case: CriminalCase) -> None:
    coordinator = users["coordinator"]
    case_reclassify(
        actor=coordinator,
        case=case,
        part=2,
        investigating_body=_body("special_prosecutor"),
        effective_on=datetime.date(2026, 3, 20),
        note="Torture, moved to the special prosecutor",
    )
    case.refresh_from_db()
    assert (case.part, case.investigating_body) == (2, _body("special_prosecutor"))
    history = list(case.classifications.values_list("part", "investigating_body__code"))
    assert history == [(1, "internal_affairs"), (2, "special_prosecutor")]
    assert case.events.filter(kind="reclassified").count() == 1
    audit = AuditEvent.objects.get(action="case.reclassified")
    assert audit.data["changes"]["part"] == [1, 2]
    with pytest.raises(ValidationError):  # nothing changes
        case_reclassify(
            actor=coordinator,
            case=case,
            part=2,
            investigating_body=_body("special_prosecutor"),
            effective_on=datetime.date(2026, 3, 21),
        )
    with pytest.raises(ValidationError):  # before the last classification
        case_reclassify(
            actor=coordinator,
            case=case,
            part=3,
            investigating_body=None,
            effective_on=datetime.date(2026, 3, 1),
        )
    with pytest.raises(PermissionDenied):
        case_reclassify(
            actor=users["auditor"],
            case=case,
            part=3,
            investigating_body=None,
            effective_on=datetime.date(2026, 3, 25),
        )
    assert case.classifications.count() == 2


def test_registration_delay(users: dict[str, User], case: CriminalCase, client_for: Any) -> None:
    assert case.registration_delay_days is None
    page = client_for("coordinator").get(f"/appeals/cases/{case.public_id}/").content.decode()
    assert "only in the information book" in page
    listing = client_for("coordinator").get("/appeals/cases/?delayed=true")
    assert case.reference in listing.content.decode()
    case_update(
        actor=users["coordinator"],
        case=case,
        data={"register_number": "261500031000777", "registered_on": datetime.date(2026, 3, 12)},
    )
    case.refresh_from_db()
    assert case.registration_delay_days == 10
    page = client_for("coordinator").get(f"/appeals/cases/{case.public_id}/").content.decode()
    assert "10 days after the information-book entry" in page
    assert (
        case.reference
        in client_for("coordinator").get("/appeals/cases/?delayed=true").content.decode()
    )
    case_update(
        actor=users["coordinator"], case=case, data={"registered_on": datetime.date(2026, 3, 3)}
    )
    assert (
        case.reference
        not in client_for("coordinator").get("/appeals/cases/?delayed=true").content.decode()
    )
    with pytest.raises(ValidationError):
        case_update(
            actor=users["coordinator"],
            case=case,
            data={"registered_on": datetime.date(2026, 3, 1)},
        )


def test_life_cycle_to_court_and_termination(
    users: dict[str, User], make_case: Callable[..., CriminalCase]
) -> None:
    coordinator = users["coordinator"]
    case = make_case(reported_on=datetime.date(2026, 1, 5))
    with pytest.raises(ValidationError):
        case_transition(actor=coordinator, case=case, name="register")
    case = case_transition(
        actor=coordinator, case=case, name="register", values={"register_number": "2615"}
    )
    for name in ("investigate", "charge", "court"):
        case = case_transition(actor=coordinator, case=case, name=name)
    assert case.state == CaseState.IN_COURT
    assert case.sent_to_court_on is not None
    case = case_transition(actor=coordinator, case=case, name="convict")
    assert case.verdict_on is not None
    other = make_case(state=CaseState.INVESTIGATION, reported_on=datetime.date(2026, 1, 5))
    with pytest.raises(ValidationError) as caught:
        case_transition(actor=coordinator, case=other, name="terminate")
    assert "termination_ground" in caught.value.message_dict
    other = case_transition(
        actor=coordinator,
        case=other,
        name="terminate",
        values={"termination_ground": "lack_of_evidence"},
    )
    assert (other.state, other.termination_ground) == (CaseState.TERMINATED, "lack_of_evidence")
    assert other.terminated_on is not None


def test_regional_manages_only_own_region(
    users: dict[str, User], make_case: Callable[..., CriminalCase], ref: dict[str, Any]
) -> None:
    elsewhere = make_case(region=ref["almaty"])
    with pytest.raises(PermissionDenied):
        case_transition(
            actor=users["regional"],
            case=elsewhere,
            name="register",
            values={"register_number": "1"},
        )
    with pytest.raises(PermissionDenied):
        case_create(
            actor=users["regional"],
            data={"region": ref["almaty"], "reported_on": datetime.date(2026, 1, 1)},
            part=2,
        )
    assert CriminalCase.objects.count() == 1


def test_suspects(users: dict[str, User], case: CriminalCase) -> None:
    suspect_add(
        actor=users["coordinator"],
        case=case,
        data={"unit": "Colony EC-166/7", "position": "Duty officer", "suspended": True},
    )
    assert list(case.suspects.values_list("position", "suspended")) == [("Duty officer", True)]
    with pytest.raises(PermissionDenied):
        suspect_add(actor=users["monitor"], case=case, data={"unit": "x", "position": "y"})


# --- pages ------------------------------------------------------------------------------------

DETAIL = {
    "anonymous": 302,
    "coordinator": 200,
    "regional": 200,
    "auditor": 200,
    "monitor": 404,
    "liaison": 404,
    "other_liaison": 404,
    "admin": 404,
}


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
@pytest.mark.parametrize("actor", list(DETAIL))
def test_case_detail_role_matrix(
    client_for: Callable[[str], Any], case: CriminalCase, actor: str, debug: bool
) -> None:
    with override_settings(DEBUG=debug):
        response = client_for(actor).get(f"/appeals/cases/{case.public_id}/")
    assert response.status_code == DETAIL[actor]
    if response.status_code == 200:
        html = response.content.decode()
        assert "Victim V-7" in html
        assert ('href="/appeals/cases/' + str(case.public_id) + '/edit/"' in html) == (
            actor in ("coordinator", "regional")
        )


def test_monitor_sees_the_case_of_an_appeal_they_handle(
    client_for: Callable[[str], Any],
    users: dict[str, User],
    make_appeal: Any,
    make_case: Callable[..., CriminalCase],
) -> None:
    appeal = make_appeal(assigned_to=users["monitor"])
    case = make_case(appeal=appeal, region=appeal.region)
    assert client_for("monitor").get(f"/appeals/cases/{case.public_id}/").status_code == 200
    assert client_for("monitor").get(f"/appeals/cases/{case.public_id}/edit/").status_code == 403


LIST = {
    "anonymous": 302,
    "coordinator": 200,
    "regional": 200,
    "auditor": 200,
    "monitor": 200,
    "liaison": 403,
    "admin": 403,
}


@pytest.mark.parametrize("actor", list(LIST))
@pytest.mark.parametrize(
    "path", ["/appeals/cases/", "/appeals/referrals/", "/appeals/accountability/"]
)
def test_lists_role_matrix(
    client_for: Callable[[str], Any], case: CriminalCase, actor: str, path: str
) -> None:
    response = client_for(actor).get(path)
    assert response.status_code == LIST[actor]
    if path == "/appeals/cases/" and response.status_code == 200:
        assert (case.reference in response.content.decode()) == (actor != "monitor")


CREATE = {
    "anonymous": 302,
    "coordinator": 200,
    "regional": 200,
    "auditor": 403,
    "monitor": 403,
    "liaison": 403,
    "admin": 403,
}


@pytest.mark.parametrize("actor", list(CREATE))
def test_case_create_role_matrix(
    client_for: Callable[[str], Any], appeal_reference: Any, ref: dict[str, Any], actor: str
) -> None:
    assert client_for(actor).get("/appeals/cases/new/").status_code == CREATE[actor]
    response = client_for(actor).post(
        "/appeals/cases/new/",
        {
            "part": "2",
            "reported_on": "2026-02-01",
            "forensic_status": "not_requested",
            "region": ref["astana"].pk,
        },
    )
    if CREATE[actor] == 200:
        assert response.status_code == 302
    else:
        assert response.status_code == CREATE[actor]
        assert CriminalCase.objects.count() == 0
        assert not AuditEvent.objects.filter(action="case.created").exists()


def test_case_from_a_referral_is_prefilled(
    client_for: Callable[[str], Any], make_appeal: Any, make_referral: Any
) -> None:
    appeal = make_appeal()
    referral = make_referral(
        appeal, register_number="2615000", registered_on=datetime.date(2026, 11, 15)
    )
    client = client_for("coordinator")
    page = client.get(f"/appeals/cases/new/?referral={referral.public_id}").content.decode()
    assert 'value="2615000"' in page
    response = client.post(
        "/appeals/cases/new/",
        {
            "referral": str(referral.public_id),
            "part": "2",
            "reported_on": "2026-11-10",
            "register_number": "2615000",
            "registered_on": "2026-11-15",
            "forensic_status": "requested",
            "forensic_requested_on": "2026-11-16",
        },
    )
    assert response.status_code == 302
    case = CriminalCase.objects.get()
    assert (case.referral, case.appeal, case.region) == (referral, appeal, referral.region)


def test_regional_cannot_record_a_case_without_their_region(
    client_for: Callable[[str], Any], appeal_reference: Any, ref: dict[str, Any]
) -> None:
    response = client_for("regional").post(
        "/appeals/cases/new/",
        {
            "part": "2",
            "reported_on": "2026-02-01",
            "forensic_status": "not_requested",
            "region": ref["almaty"].pk,
        },
    )
    assert response.status_code == 200
    assert "your regions only" in response.content.decode()
    assert CriminalCase.objects.count() == 0


def test_form_errors_keep_what_was_typed(
    client_for: Callable[[str], Any], appeal_reference: Any
) -> None:
    response = client_for("coordinator").post(
        "/appeals/cases/new/",
        {
            "part": "2",
            "reported_on": "2026-02-01",
            "info_book_entry_on": "2026-02-05",
            "registered_on": "2026-02-03",
            "victim_pseudonym": "V-55",
            "forensic_status": "not_requested",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "cannot come before the information-book entry" in html
    assert 'value="V-55"' in html


def test_reclassify_and_move_from_the_page(
    client_for: Callable[[str], Any], case: CriminalCase
) -> None:
    client = client_for("coordinator")
    client.post(
        f"/appeals/cases/{case.public_id}/reclassify/",
        {
            "part": "2",
            "investigating_body": _body("special_prosecutor").pk,
            "effective_on": "2026-03-10",
        },
    )
    client.post(
        f"/appeals/cases/{case.public_id}/move/", {"move": "register", "register_number": "77"}
    )
    case.refresh_from_db()
    assert (case.part, case.state, case.register_number) == (2, CaseState.REGISTERED, "77")
    page = client.get(f"/appeals/cases/{case.public_id}/").content.decode()
    assert page.count("<tr><td>") >= 2  # two classification rows
    auditor = client_for("auditor")
    assert (
        auditor.post(f"/appeals/cases/{case.public_id}/move/", {"move": "investigate"}).status_code
        == 403
    )
    case.refresh_from_db()
    assert case.state == CaseState.REGISTERED


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_case_detail_in_kk_and_ru(
    client_for: Callable[[str], Any], case: CriminalCase, language: str
) -> None:
    client = client_for("coordinator")
    response = client.get(f"/appeals/cases/{case.public_id}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response["Content-Language"] == language


def test_the_allowed_delay_is_a_setting(
    users: dict[str, User], case: CriminalCase, client_for: Any
) -> None:
    case_update(
        actor=users["coordinator"],
        case=case,
        data={"register_number": "2615", "registered_on": datetime.date(2026, 3, 12)},
    )
    client = client_for("coordinator")
    assert case.reference in client.get("/appeals/cases/?delayed=true").content.decode()
    with override_settings(VIGIL_CASE_REGISTRATION_DELAY_DAYS=15):
        assert case.reference not in client.get("/appeals/cases/?delayed=true").content.decode()
        assert case.reference in client.get("/appeals/cases/?delayed=false").content.decode()
