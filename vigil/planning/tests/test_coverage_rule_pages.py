"""The pages that add and change coverage rules: who gets them (DEBUG off and on), what
they save, and the list page's links and validity."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from conftest import ALL_ACTORS
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.planning.models import CoverageRule

pytestmark = pytest.mark.django_db

MANAGERS = {"admin", "coordinator"}
READERS = {"regional", "auditor"}  # see the rules, may not change them: 403


def _expected(actor: str) -> int:
    if actor == "anonymous":
        return 302
    if actor in MANAGERS:
        return 200
    return 403 if actor in READERS else 404


def _data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name_kk": "",
        "name_ru": "Колонии раз в три года",
        "name_en": "Colonies every three years",
        "categories": ["penal"],
        "type_codes": ["IVS"],
        "holds": "",
        "interval_years": "3",
        "valid_from": "2026-01-01",
        "valid_to": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _pages() -> list[str]:
    rule = CoverageRule.objects.get(interval_years=5)
    return [
        reverse("planning:coverage_rule_create"),
        reverse("planning:coverage_rule_edit", args=[rule.public_id]),
    ]


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_rule_pages_by_role(
    client_for: Callable[[str], Client], ref: dict[str, Any], actor: str, debug: bool
) -> None:
    client = client_for(actor)
    status = _expected(actor)
    with override_settings(DEBUG=debug):
        for url in _pages():
            response = client.get(url)
            assert response.status_code == status, (url, response.status_code)
            if status == 302:
                assert "/accounts/login/" in response["Location"]
            if status == 200:
                assert b'data-testid="coverage-rule-form"' in response.content
                assert b"Temporary detention facility (IVS)" in response.content
            posted = client.post(url, _data(interval_years="7"))
            expected_post = 302 if status == 200 else status
            assert posted.status_code == expected_post, (url, posted.status_code)
    rules = CoverageRule.objects.filter(interval_years=7)
    events = AuditEvent.objects.filter(action__startswith="planning.coverage_rule")
    if actor in MANAGERS:
        assert rules.count() == 2  # the one added and the one changed
        assert {e.action for e in events} == {
            AuditAction.COVERAGE_RULE_CREATED,
            AuditAction.COVERAGE_RULE_UPDATED,
        }
    else:
        assert not rules.exists()
        assert not events.exists()


def test_an_unknown_rule_is_404(client_for: Callable[[str], Client]) -> None:
    url = reverse("planning:coverage_rule_edit", args=["00000000-0000-4000-8000-000000000000"])
    assert client_for("coordinator").get(url).status_code == 404


def test_add_a_rule(client_for: Callable[[str], Client], ref: dict[str, Any]) -> None:
    response = client_for("coordinator").post(reverse("planning:coverage_rule_create"), _data())
    assert response.status_code == 302
    assert response["Location"] == reverse("planning:coverage_rules")
    rule = CoverageRule.objects.get(name_en="Colonies every three years")
    assert (rule.categories, rule.type_codes, rule.holds, rule.interval_years) == (
        ["penal"],
        ["IVS"],
        "",
        3,
    )
    assert rule.valid_from == datetime.date(2026, 1, 1)
    assert rule.valid_to is None
    [event] = AuditEvent.objects.filter(action=AuditAction.COVERAGE_RULE_CREATED)
    assert event.data["fields"]["interval_years"] == 3


def test_errors_are_shown_by_field(
    client_for: Callable[[str], Client], ref: dict[str, Any]
) -> None:
    client = client_for("coordinator")
    url = reverse("planning:coverage_rule_create")
    before = CoverageRule.objects.count()
    response = client.post(url, _data(name_ru="", name_en="", interval_years="2"))
    assert response.status_code == 200
    assert response.context["form"].errors["name_en"] == ["Give the name in at least one language."]
    response = client.post(url, _data(interval_years="0", type_codes=["NOPE"]))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"interval_years", "type_codes"}
    response = client.post(url, _data(valid_from="2027-01-01", valid_to="2026-01-01"))
    assert response.context["form"].errors["valid_to"] == ["Must be after the start of validity."]
    assert b'id="form-errors"' in response.content
    assert CoverageRule.objects.count() == before


def test_end_a_rule(client_for: Callable[[str], Client], ref: dict[str, Any]) -> None:
    rule = CoverageRule.objects.get(interval_years=2)
    client = client_for("coordinator")
    url = reverse("planning:coverage_rule_edit", args=[rule.public_id])
    form = client.get(url).context["form"]
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if value not in ([], "")
    }
    data["valid_to"] = "2027-01-01"
    response = client.post(url, data)
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.valid_to == datetime.date(2027, 1, 1)
    assert rule.interval_years == 2  # the rest as it was
    [event] = AuditEvent.objects.filter(action=AuditAction.COVERAGE_RULE_UPDATED)
    assert event.data["changes"] == {"valid_to": [None, "2027-01-01"]}
    listed = client.get(reverse("planning:coverage_rules"), {"year": 2027})
    rows = {r.pk: in_force for r, in_force, _due in listed.context["rules"]}
    assert rows[rule.pk] is False
    assert b"data-not-in-force" in listed.content
    assert b"Not in force in 2027" in listed.content
    earlier = client.get(reverse("planning:coverage_rules"), {"year": 2026})
    assert {r.pk: in_force for r, in_force, _due in earlier.context["rules"]}[rule.pk] is True


@pytest.mark.parametrize("actor", ["admin", "coordinator", "regional", "auditor"])
def test_list_links_only_for_managers(
    client_for: Callable[[str], Client], ref: dict[str, Any], actor: str
) -> None:
    response = client_for(actor).get(reverse("planning:coverage_rules"))
    content = response.content.decode()
    manager = actor in MANAGERS
    assert (reverse("planning:coverage_rule_create") in content) == manager
    rule = CoverageRule.objects.get(interval_years=5)
    assert (reverse("planning:coverage_rule_edit", args=[rule.public_id]) in content) == manager
    assert "Penal institution" in content  # categories by name, not by code
