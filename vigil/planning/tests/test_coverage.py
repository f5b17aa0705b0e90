"""Coverage rules: which institutions each rule requires in a year, and whether a proposal
meets them."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from vigil.planning.coverage import required_institutions, rules_in_force, rules_met
from vigil.planning.models import CoverageRule
from vigil.registry.models import Institution

pytestmark = pytest.mark.django_db


def _rules() -> dict[int, CoverageRule]:
    return {r.interval_years: r for r in CoverageRule.objects.all()}


def test_seeded_rules(make_institution: Callable[..., Institution], ref: dict[str, Any]) -> None:
    rules = _rules()
    assert set(rules) == {1, 2, 5}
    colony_2026 = make_institution(last_visited_on=datetime.date(2026, 5, 1))  # penal
    colony_2027 = make_institution(last_visited_on=datetime.date(2027, 2, 1))
    ivs_2024 = make_institution(type=ref["ivs"], last_visited_on=datetime.date(2024, 3, 1))
    ivs_2021 = make_institution(type=ref["ivs"], last_visited_on=datetime.date(2021, 3, 1))
    ivs_never = make_institution(type=ref["ivs"])
    children_2026 = make_institution(
        type=ref["ivs"], population_boys=3, last_visited_on=datetime.date(2026, 1, 1)
    )
    children_2025 = make_institution(
        type=ref["ivs"], population_girls=2, last_visited_on=datetime.date(2025, 6, 1)
    )

    required = required_institutions(2027)
    assert colony_2026.pk in required  # every year
    assert colony_2027.pk not in required  # already visited this year
    assert ivs_2024.pk not in required  # police custody: every five years
    assert {ivs_2021.pk, ivs_never.pk} <= required
    assert children_2026.pk not in required  # visited last year: due next year
    assert children_2025.pk in required  # children held, two years ago

    checks = {c.rule.interval_years: c for c in rules_met(2027, [colony_2026.pk, ivs_never.pk])}
    assert checks[1].required == {colony_2026.pk}
    assert checks[1].met
    assert not checks[2].met
    assert checks[2].missing == {children_2025.pk}
    assert checks[5].required == {ivs_2021.pk, ivs_never.pk}
    assert checks[5].missing == {ivs_2021.pk}


def test_rules_are_dated(make_institution: Callable[..., Institution]) -> None:
    CoverageRule.objects.all().delete()
    colony = make_institution(last_visited_on=datetime.date(2020, 1, 1))
    CoverageRule.objects.create(
        name_en="Colonies yearly until 2027",
        categories=["penal"],
        interval_years=1,
        valid_from=datetime.date(2025, 1, 1),
        valid_to=datetime.date(2027, 1, 1),
    )
    assert [r.name for r in rules_in_force(2026)] == ["Colonies yearly until 2027"]
    assert rules_in_force(2027) == []
    assert rules_in_force(2024) == []
    assert required_institutions(2026) == {colony.pk}
    assert required_institutions(2027) == set()


def test_a_rule_by_type_code(
    make_institution: Callable[..., Institution], ref: dict[str, Any]
) -> None:
    CoverageRule.objects.all().delete()
    ivs = make_institution(type=ref["ivs"])
    make_institution()
    CoverageRule.objects.create(name_en="IVS", type_codes=["IVS"], interval_years=3)
    assert required_institutions(2026) == {ivs.pk}
    [check] = rules_met(2026, [])
    assert check.missing == {ivs.pk}
    assert not check.met
