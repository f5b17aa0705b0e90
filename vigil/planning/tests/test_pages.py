"""The planning pages and the risk section of the institution's page: who sees what."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import ALL_ACTORS
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.planning.models import RiskFactor

pytestmark = pytest.mark.django_db

READERS = {"admin", "coordinator", "regional", "auditor"}
MANAGERS = {"admin", "coordinator"}


@pytest.mark.parametrize("actor", ALL_ACTORS)
@pytest.mark.parametrize("name", ["planning:risk_factors", "planning:coverage_rules"])
def test_planning_pages_by_role(client_for: Callable[[str], Client], actor: str, name: str) -> None:
    response = client_for(actor).get(reverse(name))
    if actor == "anonymous":
        assert response.status_code == 302
    elif actor in READERS:
        assert response.status_code == 200
        assert b"Penitentiary" in response.content or b"Time since" in response.content
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_weights_changed_only_by_managers_and_audited(
    client_for: Callable[[str], Client], actor: str
) -> None:
    factors = list(RiskFactor.objects.all())
    data: dict[str, Any] = {}
    for f in factors:
        data[f"{f.code}-weight"] = 50 if f.code == "incidents" else f.weight
        data[f"{f.code}-threshold"] = f.threshold
        data[f"{f.code}-saturation"] = f.saturation
        data[f"{f.code}-lookback_months"] = f.lookback_months or ""
    response = client_for(actor).post(reverse("planning:risk_factors"), data)
    weight = RiskFactor.objects.get(code="incidents").weight
    events = AuditEvent.objects.filter(action=AuditAction.RISK_FACTOR_UPDATED)
    if actor in MANAGERS:
        assert response.status_code == 302
        assert weight == 50
        [event] = events
        assert event.data["changes"] == {"weight": [15, 50]}
    else:
        assert response.status_code in (302, 403, 404)
        assert weight == 15
        assert not events.exists()


def test_invalid_weights_show_errors(client_for: Callable[[str], Client]) -> None:
    factor = RiskFactor.objects.get(code="overcrowding")
    data: dict[str, Any] = {}
    for f in RiskFactor.objects.all():
        data[f"{f.code}-weight"] = f.weight
        data[f"{f.code}-threshold"] = f.threshold
        data[f"{f.code}-saturation"] = f.saturation
        data[f"{f.code}-lookback_months"] = f.lookback_months or ""
    data["overcrowding-saturation"] = 50  # below its threshold (90)
    data["population-weight"] = 101
    response = client_for("coordinator").post(reverse("planning:risk_factors"), data)
    assert response.status_code == 200
    assert b"Must be greater than the value it counts from." in response.content
    assert RiskFactor.objects.get(pk=factor.pk).saturation == 150
    assert not AuditEvent.objects.filter(action=AuditAction.RISK_FACTOR_UPDATED).exists()


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_risk_section_on_the_institution_page(
    client_for: Callable[[str], Client], make_institution: Callable[..., Any], ref: Any, actor: str
) -> None:
    astana = make_institution()
    almaty = make_institution(region=ref["almaty"])
    client = client_for(actor)
    for institution, in_scope in ((astana, True), (almaty, False)):
        response = client.get(reverse("registry:institution_detail", args=[institution.public_id]))
        shows = b'data-testid="institution-risk"' in response.content
        expected = actor in {"admin", "coordinator", "auditor"} or (
            actor == "regional" and in_scope
        )
        assert shows == expected, (actor, in_scope, response.status_code)
        if shows:
            assert b"Time since the last visit" in response.content
            assert b'data-testid="risk-total"' in response.content
