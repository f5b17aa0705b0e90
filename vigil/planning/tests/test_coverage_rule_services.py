"""Adding and changing coverage rules: validated (errors name the field), audited with the
fields as [old, new], allowed to coordinators and administrators only; the rules' checks
follow an edit at once."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import ROLES
from vigil.accounts.models import User
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.planning.coverage import required_institutions, rules_met
from vigil.planning.models import CoverageRule
from vigil.planning.permissions import can_manage_planning
from vigil.planning.services import coverage_rule_create, coverage_rule_update
from vigil.registry.models import Institution

pytestmark = pytest.mark.django_db

MANAGERS = {"admin", "coordinator"}


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


@pytest.mark.parametrize("role", ROLES)
def test_only_managers_add_and_change_rules(
    users: dict[str, User], ref: dict[str, Any], role: str
) -> None:
    actor = users[role]
    rule = CoverageRule.objects.get(interval_years=5)
    assert can_manage_planning(actor) == (role in MANAGERS)
    if role in MANAGERS:
        made = coverage_rule_create(actor=actor, name_en="Colonies", interval_years=3)
        assert made.pk is not None
        assert coverage_rule_update(actor=actor, rule=rule, interval_years=4)
        return
    with pytest.raises(PermissionDenied):
        coverage_rule_create(actor=actor, name_en="Colonies", interval_years=3)
    with pytest.raises(PermissionDenied):
        coverage_rule_update(actor=actor, rule=rule, interval_years=4)
    assert CoverageRule.objects.get(pk=rule.pk).interval_years == 5
    assert not AuditEvent.objects.filter(action__startswith="planning.coverage_rule").exists()


def test_create_is_validated_field_by_field(users: dict[str, User], ref: dict[str, Any]) -> None:
    actor = users["coordinator"]
    before = CoverageRule.objects.count()
    with pytest.raises(ValidationError) as exc:
        coverage_rule_create(actor=actor, interval_years=0, categories=["prison"])
    errors = _errors(exc)
    assert "interval_years" in errors
    with pytest.raises(ValidationError) as exc:
        coverage_rule_create(actor=actor, name_ru="Правило", interval_years=21)
    assert set(_errors(exc)) == {"interval_years"}
    with pytest.raises(ValidationError) as exc:
        coverage_rule_create(actor=actor, interval_years=2)
    assert set(_errors(exc)) == {"name_en"}
    with pytest.raises(ValidationError) as exc:
        coverage_rule_create(actor=actor, name_en="R", interval_years=2, categories=["prison"])
    assert set(_errors(exc)) == {"categories"}
    with pytest.raises(ValidationError) as exc:
        coverage_rule_create(actor=actor, name_en="R", interval_years=2, type_codes=["NOPE"])
    assert set(_errors(exc)) == {"type_codes"}
    assert "NOPE" in _errors(exc)["type_codes"][0]
    with pytest.raises(ValidationError) as exc:
        coverage_rule_create(actor=actor, name_en="R", interval_years=2, holds="elderly")
    assert set(_errors(exc)) == {"holds"}
    with pytest.raises(ValidationError) as exc:
        coverage_rule_create(
            actor=actor,
            name_en="R",
            interval_years=2,
            valid_from=datetime.date(2027, 1, 1),
            valid_to=datetime.date(2026, 1, 1),
        )
    assert set(_errors(exc)) == {"valid_to"}
    with pytest.raises(TypeError):
        coverage_rule_create(actor=actor, name_en="R", interval_years=2, colour="red")
    assert CoverageRule.objects.count() == before
    assert not AuditEvent.objects.filter(action=AuditAction.COVERAGE_RULE_CREATED).exists()


def test_create_is_audited_with_every_field(users: dict[str, User], ref: dict[str, Any]) -> None:
    rule = coverage_rule_create(
        actor=users["admin"],
        name_en="Colonies and custody",
        name_ru="Колонии и ИВС",
        categories=["penal", "police", "penal"],
        type_codes=["PSYCH_HOSPITAL", "IVS"],
        holds="children",
        interval_years=3,
        valid_from=datetime.date(2026, 1, 1),
    )
    rule.refresh_from_db()
    assert rule.categories == ["police", "penal"]  # the categories' order, once each
    assert rule.type_codes == ["IVS", "PSYCH_HOSPITAL"]
    [event] = AuditEvent.objects.filter(action=AuditAction.COVERAGE_RULE_CREATED)
    assert event.actor == users["admin"]
    assert event.target_id == str(rule.public_id)
    assert event.data["fields"] == {
        "name_kk": "",
        "name_ru": "Колонии и ИВС",
        "name_en": "Colonies and custody",
        "categories": ["police", "penal"],
        "type_codes": ["IVS", "PSYCH_HOSPITAL"],
        "holds": "children",
        "interval_years": 3,
        "valid_from": "2026-01-01",
        "valid_to": None,
    }


def test_update_audits_old_and_new(users: dict[str, User], ref: dict[str, Any]) -> None:
    rule = CoverageRule.objects.get(interval_years=2)
    old_name = rule.name_en
    changes = coverage_rule_update(
        actor=users["coordinator"],
        rule=rule,
        name_en="Children: every three years",
        interval_years=3,
        valid_to=datetime.date(2030, 1, 1),
        holds=rule.holds,  # unchanged: not in the changes
    )
    assert changes == {
        "name_en": [old_name, "Children: every three years"],
        "interval_years": [2, 3],
        "valid_to": [None, "2030-01-01"],
    }
    [event] = AuditEvent.objects.filter(action=AuditAction.COVERAGE_RULE_UPDATED)
    assert event.data["changes"] == changes
    assert event.target_id == str(rule.public_id)
    rule.refresh_from_db()
    assert (rule.interval_years, rule.valid_to) == (3, datetime.date(2030, 1, 1))
    # Nothing changed: no audit row.
    assert coverage_rule_update(actor=users["coordinator"], rule=rule, interval_years=3) == {}
    assert AuditEvent.objects.filter(action=AuditAction.COVERAGE_RULE_UPDATED).count() == 1


def test_update_is_validated_and_keeps_the_rule(
    users: dict[str, User], ref: dict[str, Any]
) -> None:
    rule = CoverageRule.objects.get(interval_years=1)
    with pytest.raises(ValidationError) as exc:
        coverage_rule_update(
            actor=users["coordinator"],
            rule=rule,
            name_kk="",
            name_ru="",
            name_en="",
            valid_from=datetime.date(2026, 6, 1),
            valid_to=datetime.date(2026, 6, 1),
        )
    assert "name_en" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        coverage_rule_update(actor=users["coordinator"], rule=rule, type_codes=["GONE"])
    assert set(_errors(exc)) == {"type_codes"}
    fresh = CoverageRule.objects.get(pk=rule.pk)
    assert (fresh.name_en, fresh.valid_to, fresh.type_codes) == (rule.name_en, None, [])
    assert not AuditEvent.objects.filter(action=AuditAction.COVERAGE_RULE_UPDATED).exists()


def test_a_type_code_gone_from_the_reference_may_stay(
    users: dict[str, User], ref: dict[str, Any]
) -> None:
    rule = CoverageRule.objects.create(name_en="Old", type_codes=["RETIRED"], interval_years=3)
    changes = coverage_rule_update(
        actor=users["coordinator"], rule=rule, type_codes=["RETIRED", "IVS"], interval_years=4
    )
    assert changes["type_codes"] == [["RETIRED"], ["IVS", "RETIRED"]]


def test_an_edit_changes_what_the_rules_require(
    users: dict[str, User], ref: dict[str, Any], make_institution: Callable[..., Institution]
) -> None:
    colony = make_institution(last_visited_on=datetime.date(2025, 5, 1))
    ivs = make_institution(type=ref["ivs"], last_visited_on=datetime.date(2024, 3, 1))
    yearly = CoverageRule.objects.get(interval_years=1)  # penal and pre-trial, every year
    assert colony.pk in required_institutions(2026)
    assert ivs.pk not in required_institutions(2026)  # five-year rule: due in 2029

    coverage_rule_update(actor=users["coordinator"], rule=yearly, interval_years=2)
    assert colony.pk not in required_institutions(2026)  # visited 2025: due in 2027
    assert colony.pk in required_institutions(2027)

    added = coverage_rule_create(
        actor=users["coordinator"],
        name_en="Custody every two years",
        type_codes=["IVS"],
        interval_years=2,
    )
    assert ivs.pk in required_institutions(2026)
    checks = {c.rule.pk: c for c in rules_met(2026, [])}
    assert checks[added.pk].missing == {ivs.pk}
    assert not checks[added.pk].met
    assert checks[yearly.pk].met  # nothing required of it in 2026 any more
    assert {c.rule.pk: c.met for c in rules_met(2026, [ivs.pk])}[added.pk]

    # Ended: a rule no longer in force from 2026 requires nothing that year, still in 2025.
    coverage_rule_update(actor=users["coordinator"], rule=added, valid_to=datetime.date(2026, 1, 1))
    assert ivs.pk not in required_institutions(2026)
    assert added.pk not in {c.rule.pk for c in rules_met(2026, [])}
    assert added.pk in {c.rule.pk for c in rules_met(2025, [])}
    assert CoverageRule.objects.filter(pk=added.pk).exists()
