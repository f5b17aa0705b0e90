"""Coverage rules applied to a plan year: which institutions each rule requires, and whether
a proposal (a set of institution ids) meets it. For the plan page and the solver.

An institution is *due* under a rule in year Y when it falls under the rule and its last
visit (`Institution.last_visited_on`, kept by the visits app) was in year Y - interval or
earlier, or it was never visited. A constant number of queries whatever the number of
institutions (rules, profiles, institutions).
"""

import datetime
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from vigil.registry.models import Institution

from .models import CoverageRule
from .risk import planned_institutions, profiles_by_type_code, vulnerable_groups


@dataclass(frozen=True)
class RuleDue:
    """A rule in force in the year and the institutions it requires (their pks)."""

    rule: CoverageRule
    required: frozenset[int]


@dataclass(frozen=True)
class RuleCheck:
    """Whether a proposal meets a rule: `missing` are the required institutions it lacks."""

    rule: CoverageRule
    required: frozenset[int]
    missing: frozenset[int]

    @property
    def met(self) -> bool:
        return not self.missing


def rules_in_force(year: int) -> list[CoverageRule]:
    return [r for r in CoverageRule.objects.all() if r.in_force_during(year)]


def falls_under(rule: CoverageRule, row: Mapping[str, Any], groups: set[str]) -> bool:
    """Whether an institution (its category, type code, groups held) falls under the rule."""
    if not (rule.categories or rule.type_codes or rule.holds):
        return True
    return (
        row["type__category"] in rule.categories
        or row["type__code"] in rule.type_codes
        or (bool(rule.holds) and rule.holds in groups)
    )


def is_due(last_visited_on: datetime.date | None, year: int, interval_years: int) -> bool:
    return last_visited_on is None or last_visited_on.year <= year - interval_years


def coverage_due(year: int, institutions: QuerySet[Institution] | None = None) -> list[RuleDue]:
    """Each rule in force during `year` with the institutions it requires that year, among
    `institutions` (default: every institution that is not closed)."""
    rules = rules_in_force(year)
    if not rules:
        return []
    profiles = profiles_by_type_code()
    qs = institutions if institutions is not None else planned_institutions()
    required: dict[int, set[int]] = {rule.pk: set() for rule in rules}
    rows = qs.order_by().values(
        "pk",
        "type__code",
        "type__category",
        "last_visited_on",
        "population_boys",
        "population_girls",
    )
    for row in rows:
        groups = vulnerable_groups(
            row["type__code"], row["population_boys"], row["population_girls"], profiles
        )
        for rule in rules:
            if is_due(row["last_visited_on"], year, rule.interval_years) and falls_under(
                rule, row, groups
            ):
                required[rule.pk].add(row["pk"])
    return [RuleDue(rule, frozenset(required[rule.pk])) for rule in rules]


def required_institutions(year: int, institutions: QuerySet[Institution] | None = None) -> set[int]:
    """The pks of every institution some rule in force requires in `year` (the solver's
    must-visit set)."""
    found: set[int] = set()
    for due in coverage_due(year, institutions):
        found |= due.required
    return found


def rules_met(
    year: int,
    proposed_ids: Collection[int],
    institutions: QuerySet[Institution] | None = None,
) -> list[RuleCheck]:
    """For each rule in force during `year`: what it requires and what the proposal
    (institution pks) leaves out."""
    proposed = set(proposed_ids)
    return [
        RuleCheck(due.rule, due.required, frozenset(due.required - proposed))
        for due in coverage_due(year, institutions)
    ]
