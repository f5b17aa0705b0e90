"""Two concurrent status changes of one recommendation, on two database connections: the
second is applied after the first or refused because the move is no longer allowed from the
new state, never a silent overwrite.

PostgreSQL only: SQLite serialises writers on the whole database, so there is no row lock to
test there. Each thread has its own connection (Django opens one per thread); the first
thread holds the row lock until the second is seen waiting for it in `pg_locks`/
`pg_stat_activity`, so the interleaving is forced, not left to timing.
"""

import itertools
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from vigil.recommendations.enums import State
from vigil.recommendations.models import Recommendation, RecommendationEvent
from vigil.recommendations.services.lifecycle import recommendation_transition
from vigil.recommendations.workflow import Via

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (SELECT … FOR UPDATE) need PostgreSQL; SQLite locks the whole file",
    ),
    pytest.mark.django_db(transaction=True),
]

WAIT = 30  # seconds: an upper bound for a stuck test, not a timing assertion


def _other_backend_waits_for_a_lock(own_pid: int) -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> %s",
            [own_pid],
        )
        return bool(cursor.fetchone()[0])


def _in_thread(fn: Callable[[], Any], results: dict[str, Any], key: str) -> threading.Thread:
    def run() -> None:
        try:
            results[key] = fn()
        except Exception as exc:  # the test inspects what each side got
            results[key] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name=key)
    thread.start()
    return thread


def _race(first: Callable[[], Any], second: Callable[[], Any]) -> dict[str, Any]:
    """Run `first` in a transaction that keeps the row locked until `second` (on another
    connection) is waiting for the lock; then let `first` commit."""
    results: dict[str, Any] = {}
    locked = threading.Event()
    release = threading.Event()
    first_pid: dict[str, int] = {}

    def hold() -> Any:
        with transaction.atomic():
            first_pid["pid"] = connection.connection.info.backend_pid  # type: ignore[union-attr]
            value = first()
            locked.set()
            if not release.wait(WAIT):
                raise AssertionError("the second change never waited for the lock")
        return value

    a = _in_thread(hold, results, "first")
    assert locked.wait(WAIT), results.get("first")
    b = _in_thread(second, results, "second")
    waited = False
    for _ in range(WAIT * 20):
        if _other_backend_waits_for_a_lock(first_pid["pid"]):
            waited = True
            break
        if not b.is_alive():
            break
        threading.Event().wait(0.05)
    release.set()
    a.join(WAIT)
    b.join(WAIT)
    assert waited, "the second change did not wait for the first one's row lock"
    return results


def _chain_is_consistent(rec: Recommendation) -> None:
    events = list(RecommendationEvent.objects.filter(recommendation=rec).order_by("id"))
    for before, after in itertools.pairwise(events):
        assert after.from_state == before.to_state
    rec.refresh_from_db()
    if events:
        assert rec.state == events[-1].to_state


def test_the_same_move_twice_the_second_is_refused(users, make_recommendation):
    rec = make_recommendation(state=State.ISSUED)

    def mark_sent(actor: str) -> Callable[[], Any]:
        return lambda: recommendation_transition(
            actor=users[actor],
            recommendation=Recommendation.objects.get(pk=rec.pk),
            to_state=State.AWAITING_RESPONSE,
        )

    results = _race(mark_sent("coordinator"), mark_sent("regional"))
    assert isinstance(results["first"], Recommendation)
    assert isinstance(results["second"], ValidationError)
    assert "to_state" in results["second"].message_dict
    assert "Awaiting response" in results["second"].message_dict["to_state"][0]
    rec.refresh_from_db()
    assert rec.state == State.AWAITING_RESPONSE
    assert RecommendationEvent.objects.filter(recommendation=rec).count() == 1
    _chain_is_consistent(rec)


def test_compatible_moves_are_applied_one_after_the_other(users, make_recommendation):
    rec = make_recommendation(state=State.AWAITING_RESPONSE)

    def respond() -> Any:
        return recommendation_transition(
            actor=users["liaison"],
            recommendation=Recommendation.objects.get(pk=rec.pk),
            to_state=State.ACCEPTED,
            via=Via.RESPONSE,
        )

    def close() -> Any:
        return recommendation_transition(
            actor=users["coordinator"],
            recommendation=Recommendation.objects.get(pk=rec.pk),  # read before the lock
            to_state=State.OBSOLETE,
            note="The colony is being closed.",
        )

    results = _race(respond, close)
    assert isinstance(results["first"], Recommendation)
    assert isinstance(results["second"], Recommendation)
    history = list(
        RecommendationEvent.objects.filter(recommendation=rec)
        .order_by("id")
        .values_list("from_state", "to_state")
    )
    assert history == [
        (State.AWAITING_RESPONSE, State.ACCEPTED),
        (State.ACCEPTED, State.OBSOLETE),  # applied after the first, from the new state
    ]
    _chain_is_consistent(rec)


def test_a_stale_page_loses_to_the_change_made_meanwhile(users, make_recommendation):
    rec = make_recommendation(state=State.AWAITING_RESPONSE)
    seen = rec.state

    def respond() -> Any:
        return recommendation_transition(
            actor=users["liaison"],
            recommendation=Recommendation.objects.get(pk=rec.pk),
            to_state=State.NOT_ACCEPTED,
            via=Via.RESPONSE,
        )

    def close_from_what_was_seen() -> Any:
        return recommendation_transition(
            actor=users["coordinator"],
            recommendation=Recommendation.objects.get(pk=rec.pk),
            to_state=State.OBSOLETE,
            note="Closing.",
            expected_state=seen,
        )

    results = _race(respond, close_from_what_was_seen)
    assert isinstance(results["second"], ValidationError)
    assert "changed meanwhile" in results["second"].message_dict["to_state"][0]
    rec.refresh_from_db()
    assert rec.state == State.NOT_ACCEPTED
    assert RecommendationEvent.objects.filter(recommendation=rec).count() == 1
