"""Referrals with consent: refused without consent (nothing written), the coordinator's
override with a reason (audit row and access event, shown to auditors), the appeal moved to
REFERRED, the interview consent mapping, the life cycle, the role matrix of the pages."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from vigil.accounts.models import User
from vigil.appeals.enums import AppealState, Disclosure, ReferralState
from vigil.appeals.models import Appeal, Referral, ReferralEvent
from vigil.appeals.services.referrals import referral_create, referral_transition
from vigil.appeals.tests.fixtures import APPELLANT_NAME
from vigil.audit.models import AccessEvent, AuditEvent
from vigil.visits.enums import ConsentScope

DATA = {"body_kind": "prosecutor", "body_name": "Prosecutor's office of Astana"}


@pytest.fixture
def triaged(make_appeal: Callable[..., Appeal]) -> Appeal:
    return make_appeal(state=AppealState.TRIAGED, consent_scopes=[Disclosure.ALLEGATION])


def _nothing_written() -> None:
    assert Referral.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="referral.").exists()
    assert not AccessEvent.objects.filter(kind="consent_overridden").exists()


def test_identity_without_consent_is_refused_naming_the_kind(
    users: dict[str, User], triaged: Appeal
) -> None:
    with pytest.raises(ValidationError) as caught:
        referral_create(
            actor=users["coordinator"],
            data=DATA,
            discloses=[Disclosure.ALLEGATION, Disclosure.IDENTITY],
            appeal=triaged,
        )
    assert "identity" in str(caught.value.message_dict["discloses"]).lower()
    _nothing_written()
    triaged.refresh_from_db()
    assert triaged.state == AppealState.TRIAGED


def test_a_consented_referral_moves_the_appeal_to_referred(
    users: dict[str, User], triaged: Appeal
) -> None:
    referral = referral_create(
        actor=users["regional"], data=DATA, discloses=[Disclosure.ALLEGATION], appeal=triaged
    )
    assert referral.reference.startswith("R-")
    assert referral.overridden == []
    assert referral.region_id == triaged.region_id
    triaged.refresh_from_db()
    assert triaged.state == AppealState.REFERRED
    assert triaged.events.filter(kind="referred", to_state="referred").exists()
    assert AuditEvent.objects.filter(action="referral.created").count() == 1
    assert ReferralEvent.objects.filter(referral=referral, kind="created").exists()


def test_a_registered_appeal_stays_registered(
    users: dict[str, User], make_appeal: Callable[..., Appeal]
) -> None:
    appeal = make_appeal(consent_scopes=[Disclosure.ALLEGATION])
    referral_create(
        actor=users["coordinator"], data=DATA, discloses=[Disclosure.ALLEGATION], appeal=appeal
    )
    appeal.refresh_from_db()
    assert appeal.state == AppealState.REGISTERED


def test_override_needs_a_coordinator(users: dict[str, User], triaged: Appeal) -> None:
    with pytest.raises(PermissionDenied):
        referral_create(
            actor=users["regional"],
            data=DATA,
            discloses=[Disclosure.IDENTITY],
            appeal=triaged,
            override_reason="Immediate danger to life",
        )
    _nothing_written()


def test_override_with_a_reason_is_recorded_and_shown_to_auditors(
    users: dict[str, User], triaged: Appeal, client_for: Callable[[str], Any]
) -> None:
    referral = referral_create(
        actor=users["coordinator"],
        data=DATA,
        discloses=[Disclosure.IDENTITY, Disclosure.MEDICAL, Disclosure.ALLEGATION],
        appeal=triaged,
        override_reason="Immediate danger to life",
    )
    assert referral.overridden == [Disclosure.IDENTITY, Disclosure.MEDICAL]
    assert referral.override_by == users["coordinator"]
    assert referral.override_reason == "Immediate danger to life"
    audit = AuditEvent.objects.get(action="referral.consent_overridden")
    assert audit.data["overridden"] == ["identity", "medical"]
    access = AccessEvent.objects.get(kind="consent_overridden")
    assert access.reason == "Immediate danger to life"
    assert access.actor == users["coordinator"]

    auditor = client_for("auditor")
    audit_page = auditor.get("/audit/").content.decode()
    assert "Referral without consent" in audit_page
    assert "Immediate danger to life" in audit_page
    access_page = auditor.get("/audit/access/").content.decode()
    assert "Disclosed without consent" in access_page
    assert "Immediate danger to life" in access_page
    detail = auditor.get(f"/appeals/referrals/{referral.public_id}/").content.decode()
    assert 'data-testid="override-reason"' in detail


def test_interview_consent_mapping(users: dict[str, User], interview: Any) -> None:
    interview.consent_scopes = [ConsentScope.REFERRAL]
    interview.save()
    with pytest.raises(ValidationError):
        referral_create(
            actor=users["monitor"], data=DATA, discloses=[Disclosure.IDENTITY], interview=interview
        )
    referral = referral_create(
        actor=users["monitor"],
        data=DATA,
        discloses=[Disclosure.ALLEGATION, Disclosure.MEDICAL],
        interview=interview,
    )
    assert referral.region_id == interview.visit.region_id
    interview.consent_scopes = [ConsentScope.REFERRAL, ConsentScope.NAMED_USE]
    interview.save()
    named = referral_create(
        actor=users["monitor"], data=DATA, discloses=[Disclosure.IDENTITY], interview=interview
    )
    assert named.overridden == []


def test_no_referral_consent_covers_nothing_of_an_interview(
    users: dict[str, User], interview: Any
) -> None:
    with pytest.raises(ValidationError):
        referral_create(
            actor=users["monitor"],
            data=DATA,
            discloses=[Disclosure.ALLEGATION],
            interview=interview,
        )


def test_life_cycle(users: dict[str, User], triaged: Appeal, make_referral: Any) -> None:
    referral = make_referral(triaged)
    coordinator = users["coordinator"]
    referral = referral_transition(actor=coordinator, referral=referral, name="acknowledge")
    assert referral.state == ReferralState.ACKNOWLEDGED
    with pytest.raises(ValidationError) as caught:
        referral_transition(actor=coordinator, referral=referral, name="register")
    assert "register_number" in caught.value.message_dict
    referral = referral_transition(
        actor=coordinator,
        referral=referral,
        name="register",
        values={"register_number": "261500031000123"},
    )
    assert referral.state == ReferralState.REGISTERED
    assert referral.register_number == "261500031000123"
    assert referral.registered_on is not None
    assert AuditEvent.objects.filter(action="referral.transitioned").count() == 2
    with pytest.raises(PermissionDenied):
        referral_transition(
            actor=users["auditor"], referral=referral, name="outcome", values={"outcome": "x"}
        )


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
def test_referral_detail_role_matrix(
    client_for: Callable[[str], Any], triaged: Appeal, make_referral: Any, actor: str, debug: bool
) -> None:
    referral = make_referral(triaged)
    with override_settings(DEBUG=debug):
        response = client_for(actor).get(f"/appeals/referrals/{referral.public_id}/")
    assert response.status_code == DETAIL[actor]
    if response.status_code == 200:
        assert APPELLANT_NAME not in response.content.decode()


def test_regional_of_another_region_gets_404(
    client_for: Callable[[str], Any],
    make_appeal: Callable[..., Appeal],
    make_institution: Any,
    make_referral: Any,
    ref: dict[str, Any],
) -> None:
    appeal = make_appeal(institution=make_institution(region=ref["almaty"]))
    referral = make_referral(appeal)
    assert (
        client_for("regional").get(f"/appeals/referrals/{referral.public_id}/").status_code == 404
    )
    listing = client_for("regional").get("/appeals/referrals/")
    assert referral.reference not in listing.content.decode()


CREATE = {
    "anonymous": 302,
    "coordinator": 200,
    "regional": 200,
    "auditor": 403,
    "monitor": 404,
    "liaison": 404,
    "admin": 404,
}


@pytest.mark.parametrize("actor", list(CREATE))
def test_referral_form_role_matrix(
    client_for: Callable[[str], Any], triaged: Appeal, actor: str
) -> None:
    response = client_for(actor).get(f"/appeals/{triaged.public_id}/refer/")
    assert response.status_code == CREATE[actor]


@pytest.mark.parametrize("actor", ["auditor", "monitor", "liaison", "admin"])
def test_denied_referral_posts_write_nothing(
    client_for: Callable[[str], Any], triaged: Appeal, actor: str
) -> None:
    response = client_for(actor).post(
        f"/appeals/{triaged.public_id}/refer/",
        {**DATA, "discloses": ["allegation"], "sent_on": "2026-11-20"},
    )
    assert response.status_code in (403, 404)
    _nothing_written()


def test_the_form_refuses_without_consent_and_keeps_what_was_typed(
    client_for: Callable[[str], Any], triaged: Appeal
) -> None:
    response = client_for("regional").post(
        f"/appeals/{triaged.public_id}/refer/",
        {**DATA, "discloses": ["identity"], "sent_on": "2026-11-20", "letter_number": "04-17/55"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "did not consent" in html
    assert "04-17/55" in html
    assert "override_reason" not in html  # a regional representative may not override
    _nothing_written()


def test_the_form_records_a_coordinators_override(
    client_for: Callable[[str], Any], triaged: Appeal
) -> None:
    response = client_for("coordinator").post(
        f"/appeals/{triaged.public_id}/refer/",
        {
            **DATA,
            "discloses": ["identity", "allegation"],
            "sent_on": "2026-11-20",
            "override_reason": "The person is at risk of death",
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/appeals/referrals/{referral.public_id}/"
    assert referral.overridden == ["identity"]


def test_move_button_page(
    client_for: Callable[[str], Any], triaged: Appeal, make_referral: Any
) -> None:
    referral = make_referral(triaged)
    client = client_for("coordinator")
    page = client.get(f"/appeals/referrals/{referral.public_id}/").content.decode()
    assert 'value="acknowledge"' in page
    client.post(f"/appeals/referrals/{referral.public_id}/move/", {"move": "acknowledge"})
    referral.refresh_from_db()
    assert referral.state == ReferralState.ACKNOWLEDGED
    assert f"/appeals/cases/new/?referral={referral.public_id}" in page
    auditor_page = client_for("auditor").get(f"/appeals/referrals/{referral.public_id}/")
    assert 'name="move"' not in auditor_page.content.decode()
    assert "/appeals/cases/new/" not in auditor_page.content.decode()
    client_for("auditor").post(
        f"/appeals/referrals/{referral.public_id}/move/",
        {"move": "register", "register_number": "1"},
    )
    referral.refresh_from_db()
    assert referral.state == ReferralState.ACKNOWLEDGED


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_referral_list_in_kk_and_ru(
    client_for: Callable[[str], Any], triaged: Appeal, make_referral: Any, language: str
) -> None:
    make_referral(triaged)
    client = client_for("coordinator")
    client.cookies["django_language"] = language
    response = client.get("/appeals/referrals/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response.content.decode().count('data-reference="') == 1


def test_visit_page_offers_to_refer_an_interview(
    client_for: Callable[[str], Any], interview: Any, users: dict[str, User]
) -> None:
    page = client_for("monitor").get(f"/visits/{interview.visit.public_id}/")
    assert page.status_code == 200
    assert f"/appeals/refer-interview/{interview.public_id}/" in page.content.decode()
    form = client_for("monitor").get(f"/appeals/refer-interview/{interview.public_id}/")
    assert form.status_code == 200
    assert 'data-kind="allegation"' in form.content.decode()
    assert (
        client_for("liaison").get(f"/appeals/refer-interview/{interview.public_id}/").status_code
        == 404
    )


@pytest.mark.parametrize(
    ("actor", "shown", "can_refer"),
    [("coordinator", True, True), ("regional", True, True), ("auditor", True, False),
     ("liaison", False, False), ("admin", False, False)],
)  # fmt: skip
def test_appeal_detail_section(
    users: dict[str, User],
    triaged: Appeal,
    make_referral: Any,
    make_case: Any,
    actor: str,
    shown: bool,
    can_refer: bool,
) -> None:
    from django.template.loader import render_to_string

    from vigil.core.contributions import page_sections

    referral = make_referral(triaged)
    case = make_case(appeal=triaged, region=triaged.region)
    context, templates = page_sections("appeal_detail", users[actor], triaged)
    assert ("appeals/referrals/_appeal_section.html" in templates) == shown
    if not shown:
        return
    html = render_to_string("appeals/referrals/_appeal_section.html", context)
    assert referral.reference in html
    assert case.reference in html
    assert (f"/appeals/{triaged.public_id}/refer/" in html) == can_refer


def test_withdrawn_interview_consent_covers_nothing(users: dict[str, User], interview: Any) -> None:
    import datetime

    interview.consent_scopes = [ConsentScope.REFERRAL, ConsentScope.NAMED_USE]
    interview.consent_withdrawn_on = datetime.date(2026, 11, 1)
    interview.save()
    with pytest.raises(ValidationError):
        referral_create(
            actor=users["coordinator"],
            data=DATA,
            discloses=[Disclosure.ALLEGATION],
            interview=interview,
        )
    assert Referral.objects.count() == 0
