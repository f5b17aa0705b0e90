"""Property test of the life cycle: any sequence of attempted moves, by any actor, through any
channel, is applied exactly when the transition table allows it, and the history it leaves
is one unbroken chain ending in the stored state."""

import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vigil.recommendations import workflow
from vigil.recommendations.enums import State
from vigil.recommendations.models import Recommendation
from vigil.recommendations.services.lifecycle import recommendation_transition
from vigil.recommendations.workflow import Via

pytestmark = pytest.mark.django_db

ACTORS = [None, "admin", "coordinator", "regional", "monitor", "liaison", "auditor"]
START = [s for s in State.values if s != State.DRAFT]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    start=st.sampled_from(START),
    steps=st.lists(
        st.tuples(
            st.sampled_from([v.value for v in Via if v != Via.ISSUE]),
            st.sampled_from(State.values),
            st.sampled_from(ACTORS),
        ),
        max_size=10,
    ),
)
def test_moves_happen_exactly_as_the_table_says(users, make_recommendation, start, steps):
    rec = make_recommendation(state=start)
    deadline = timezone.localdate() + datetime.timedelta(days=90)
    state = start
    applied = 0
    for via, target, actor_key in steps:
        actor = users[actor_key] if actor_key else None
        current = Recommendation.objects.get(pk=rec.pk)
        move = workflow.find(state, target, via)
        allowed = move is not None and move.who(actor, current)
        try:
            recommendation_transition(
                actor=actor,
                recommendation=current,
                to_state=target,
                via=via,
                note="Reason given.",
                deadline=deadline,
            )
        except (ValidationError, PermissionDenied):
            assert not allowed, (state, target, via, actor_key)
        else:
            assert allowed, (state, target, via, actor_key)
            state = target
            applied += 1
        assert Recommendation.objects.get(pk=rec.pk).state == state
    events = list(rec.events.order_by("id"))
    assert len(events) == applied
    if events:
        assert events[0].from_state == start
        assert events[-1].to_state == state
    for before, after in itertools.pairwise(events):
        assert after.from_state == before.to_state
