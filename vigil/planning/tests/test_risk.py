"""The risk score: terms and total on hand-built data, bounds, and a constant query count."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vigil.planning.models import RiskFactor
from vigil.planning.risk import compute_risk_scores, months_between
from vigil.planning.selectors import risk_scores
from vigil.registry.models import Institution

pytestmark = pytest.mark.django_db
ON = datetime.date(2027, 1, 15)


def test_terms_and_total_by_hand(
    simple_weights: Any, make_institution: Callable[..., Institution], make_appeal: Any
) -> None:
    busy = make_institution(
        last_visited_on=datetime.date(2026, 1, 15), capacity=100, population_men=150
    )
    quiet = make_institution(last_visited_on=None, capacity=None)
    make_appeal(institution=busy)  # received 2 Nov 2026: within the 12 months
    make_appeal(institution=busy)
    make_appeal(institution=busy, received_on=datetime.date(2025, 6, 1))  # too old

    scores = compute_risk_scores(Institution.objects.filter(pk__in=[busy.pk, quiet.pk]), on_date=ON)

    a = scores[busy.pk]
    visit = a.term("time_since_visit")
    assert (visit.raw, visit.normalised, visit.weight, visit.contribution) == (12, 0.5, 1, 12.5)
    appeals = a.term("ill_treatment_appeals")
    assert (appeals.raw, appeals.normalised, appeals.contribution) == (2, 0.5, 25.0)
    crowd = a.term("overcrowding")
    assert (crowd.raw, crowd.normalised, crowd.contribution) == (150, 0.5, 12.5)
    assert a.term("population").contribution == 0  # weight 0
    assert a.total == 50.0
    assert len(a.terms) == RiskFactor.objects.count()

    b = scores[quiet.pk]
    assert b.term("time_since_visit").raw is None  # never visited: counts in full
    assert b.term("time_since_visit").contribution == 25.0
    assert b.term("overcrowding").raw is None
    assert b.total == 25.0


def test_default_weights_keep_the_score_within_0_and_100(
    make_institution: Callable[..., Institution], ref: dict[str, Any]
) -> None:
    assert sum(f.weight for f in RiskFactor.objects.all()) == 100
    worst = make_institution(
        type=ref["psych"], capacity=10, population_men=900, population_boys=100
    )
    best = make_institution(last_visited_on=ON, capacity=1000, population_men=1)
    scores = compute_risk_scores(Institution.objects.all(), on_date=ON)
    assert 0 <= scores[best.pk].total < scores[worst.pk].total <= 100
    assert scores[worst.pk].term("vulnerability").raw == 2  # psychiatric, and children held
    assert scores[worst.pk].total == sum(t.contribution for t in scores[worst.pk].terms)


def test_zero_weights_give_zero() -> None:
    RiskFactor.objects.update(weight=0)
    assert all(s.total == 0 for s in compute_risk_scores(on_date=ON).values())


def test_query_count_does_not_grow_with_institutions(
    make_institution: Callable[..., Institution], make_appeal: Any
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            compute_risk_scores(on_date=ON)
        return len(ctx.captured_queries)

    make_appeal(institution=make_institution())
    few = count()
    for _ in range(15):
        make_appeal(institution=make_institution(last_visited_on=datetime.date(2025, 3, 1)))
    assert count() == few
    assert few <= 12


def test_months_between() -> None:
    assert months_between(datetime.date(2026, 1, 31), datetime.date(2026, 2, 28)) == 0
    assert months_between(datetime.date(2026, 1, 15), datetime.date(2027, 1, 15)) == 12
    assert months_between(datetime.date(2027, 2, 1), datetime.date(2027, 1, 1)) == 0


def test_selector_keeps_to_the_users_scope(
    users: dict[str, Any], make_institution: Callable[..., Institution], ref: dict[str, Any]
) -> None:
    mine = make_institution()  # Astana, the regional representative's region
    other = make_institution(region=ref["almaty"])
    assert set(risk_scores(users["coordinator"])) >= {mine.pk, other.pk}
    assert set(risk_scores(users["auditor"])) >= {mine.pk, other.pk}
    assert set(risk_scores(users["regional"])) == {mine.pk}
    for actor in ("monitor", "liaison", "other_liaison"):
        assert risk_scores(users[actor]) == {}
    assert risk_scores(None) == {}
