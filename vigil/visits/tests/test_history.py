"""The visit's and the report's histories: `vigil.visits.history` is the only place that
builds their rows."""

import ast
import datetime
from pathlib import Path

import pytest

from vigil.visits.history import new_visit_transition

ROOT = Path(__file__).resolve().parents[2]


def builders_of(model: str) -> list[str]:
    """`path:line` of every call that builds or creates `model` rows in `vigil/`, outside the
    tests and migrations."""
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            direct = isinstance(func, ast.Name) and func.id == model
            manager = (
                isinstance(func, ast.Attribute)
                and func.attr in ("create", "bulk_create", "get_or_create")
                and isinstance(func.value, ast.Attribute)
                and func.value.attr == "objects"
                and isinstance(func.value.value, ast.Name)
                and func.value.value.id == model
            )
            if direct or manager:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


@pytest.mark.parametrize("model", ["VisitTransition", "ReportTransition"])
def test_histories_are_built_only_by_the_history_module(model):
    places = builders_of(model)
    assert places
    assert all(place.startswith("visits/history.py:") for place in places), places


@pytest.mark.django_db
def test_builders_keep_a_given_time(users, make_visit):
    visit = make_visit()
    at = datetime.datetime(2025, 3, 1, 9, 30, tzinfo=datetime.UTC)
    row = new_visit_transition(visit, "draft", "planned", actor=users["coordinator"], note="n")
    assert (row.visit, row.from_state, row.to_state, row.note) == (visit, "draft", "planned", "n")
    assert row.actor == users["coordinator"]
    assert row.occurred_at is None
    assert new_visit_transition(visit, "draft", "planned", occurred_at=at).occurred_at == at
