"""Feeding visits: an institution with recent ill-treatment appeals or serious incidents is
flagged on its registry page, and offered as the trigger of a special visit in one click (the
new-visit form prefilled; creating it keeps the trigger)."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import override_settings

from vigil.visits.enums import TriggerKind, VisitType
from vigil.visits.models import Visit

from ..enums import IncidentKind
from ..models import AppealSubject
from ..selectors.alerts import flagged_institution_ids, institution_alert


@pytest.fixture
def place(make_institution: Callable[..., Any]) -> Any:
    return make_institution()


def test_a_recent_torture_appeal_flags_the_institution(
    users: dict[str, Any], make_appeal: Callable[..., Any], place: Any
) -> None:
    appeal = make_appeal(institution=place, received_on=datetime.date(2026, 11, 2))
    alert = institution_alert(users["coordinator"], place, today=datetime.date(2026, 12, 7))
    assert alert is not None
    assert alert.flagged
    [trigger] = alert.triggers
    assert trigger.reference == appeal.reference
    assert trigger.visit_url is not None
    assert "type=special" in trigger.visit_url
    assert f"trigger_reference={appeal.reference}" in trigger.visit_url
    assert flagged_institution_ids(users["coordinator"], [place.pk]) == {place.pk}


def test_old_or_unrelated_appeals_and_access_incidents_do_not_flag(
    users: dict[str, Any],
    make_appeal: Callable[..., Any],
    make_incident: Callable[..., Any],
    place: Any,
) -> None:
    make_appeal(institution=place, received_on=datetime.date(2026, 1, 5))
    make_appeal(
        institution=place,
        subject=AppealSubject.objects.get(code="medical_care"),
        received_on=datetime.date(2026, 11, 30),
    )
    make_incident(kind=IncidentKind.ACCESS_OBSTRUCTION, institution=place)
    alert = institution_alert(users["coordinator"], place, today=datetime.date(2026, 12, 7))
    assert alert is not None
    assert not alert.flagged
    with override_settings(VIGIL_INSTITUTION_FLAG_DAYS=400):
        wide = institution_alert(users["coordinator"], place, today=datetime.date(2026, 12, 7))
    assert wide is not None
    assert len(wide.appeals) == 1


def test_a_recent_death_in_custody_flags_the_institution(
    users: dict[str, Any], make_incident: Callable[..., Any], place: Any
) -> None:
    incident = make_incident(kind=IncidentKind.DEATH_IN_CUSTODY, institution=place)
    alert = institution_alert(users["coordinator"], place)
    assert alert is not None
    assert [t.reference for t in alert.triggers] == [incident.reference]
    assert alert.triggers[0].kind == TriggerKind.INCIDENT


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
@pytest.mark.parametrize(
    ("actor", "flag", "button"),
    [
        ("coordinator", True, True),
        ("regional", True, True),
        ("auditor", True, False),
        ("monitor", False, False),
        ("liaison", False, False),
    ],
)
def test_flag_on_the_institution_page(
    client_for: Any,
    make_incident: Callable[..., Any],
    place: Any,
    actor: str,
    flag: bool,
    button: bool,
    debug: bool,
) -> None:
    make_incident(kind=IncidentKind.SELF_HARM, institution=place)
    with override_settings(DEBUG=debug):
        response = client_for(actor).get(f"/registry/institutions/{place.public_id}/")
    if response.status_code == 404:  # the institution is not this user's to see
        assert not flag
        return
    html = response.content.decode()
    assert ('data-testid="institution-alert"' in html) is flag
    assert ('data-testid="special-visit"' in html) is button


def test_regional_does_not_see_the_flag_of_another_region(
    client_for: Any,
    users: dict[str, Any],
    make_incident: Callable[..., Any],
    make_institution: Callable[..., Any],
    ref: Any,
) -> None:
    elsewhere = make_institution(region=ref["almaty"])
    make_incident(kind=IncidentKind.REPRISAL, institution=elsewhere)
    alert = institution_alert(users["regional"], elsewhere)
    assert alert is not None
    assert not alert.flagged


def test_one_click_special_visit_is_prefilled_and_keeps_the_trigger(
    client_for: Any, users: dict[str, Any], make_appeal: Callable[..., Any], place: Any
) -> None:
    appeal = make_appeal(institution=place, received_on=datetime.date(2026, 11, 30))
    alert = institution_alert(users["coordinator"], place)
    assert alert is not None
    url = alert.triggers[0].visit_url
    assert url is not None
    client = client_for("coordinator")
    form_page = client.get(url)
    assert form_page.status_code == 200
    form = form_page.context["form"]
    assert form.initial["type"] == VisitType.SPECIAL
    assert form.initial["trigger_kind"] == TriggerKind.APPEAL
    assert form.initial["trigger_reference"] == appeal.reference
    assert form.initial["institutions"] == [str(place.public_id)]
    html = form_page.content.decode()
    assert appeal.reference in html
    created = client.post(
        "/visits/new/",
        {
            "type": VisitType.SPECIAL,
            "institutions": [str(place.public_id)],
            "planned_start": "2026-12-20",
            "mode": "in_person",
            "trigger_kind": TriggerKind.APPEAL,
            "trigger_reference": appeal.reference,
        },
    )
    assert created.status_code == 302, created.content
    visit = Visit.objects.get(trigger_reference=appeal.reference)
    assert visit.type == VisitType.SPECIAL
    assert visit.trigger_kind == TriggerKind.APPEAL
    assert list(visit.institutions.all()) == [place]


def test_prefill_ignores_bad_ids_and_only_applies_to_get(client_for: Any) -> None:
    response = client_for("coordinator").get(
        "/visits/new/?type=special&institutions=not-a-uuid&trigger_reference=X-1"
    )
    assert response.status_code == 200
    initial = response.context["form"].initial
    assert "institutions" not in initial
    assert initial["trigger_reference"] == "X-1"


def test_monitors_cannot_open_the_prefilled_form(client_for: Any) -> None:
    assert client_for("monitor").get("/visits/new/?type=special").status_code == 403


def test_flag_badge_on_the_registry_list(
    client_for: Any,
    make_incident: Callable[..., Any],
    make_institution: Callable[..., Any],
    place: Any,
) -> None:
    quiet = make_institution()
    make_incident(kind=IncidentKind.REPRISAL, institution=place)
    response = client_for("coordinator").get("/registry/institutions/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="row-badge"') == 1
    row = next(line for line in html.splitlines() if str(place.public_id) in line)
    assert 'data-testid="row-badge"' in row
    assert str(quiet.public_id) in html
    liaison = client_for("liaison").get("/registry/institutions/")
    assert 'data-testid="row-badge"' not in liaison.content.decode()
