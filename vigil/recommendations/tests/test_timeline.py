"""The recommendation's timeline: `..timeline` is the only place that builds its events."""

import pytest

from vigil.recommendations.enums import EventKind, State
from vigil.recommendations.timeline import new_event, record_event, record_events
from vigil.visits.tests.test_history import builders_of


def test_events_are_built_only_by_the_timeline():
    assert all(
        place.startswith("recommendations/timeline.py:")
        for place in builders_of("RecommendationEvent")
    ), builders_of("RecommendationEvent")


@pytest.mark.django_db
def test_record_event_and_bulk_variant(make_recommendation, users):
    rec = make_recommendation()
    one = record_event(
        rec,
        EventKind.RESPONSE,
        actor=users["liaison"],
        from_state=State.AWAITING_RESPONSE,
        to_state=State.ACCEPTED,
        note="Letter 12",
        data={"via": "response"},
    )
    assert one.pk is not None
    built = [new_event(rec, EventKind.REMINDER, note=str(n)) for n in range(3)]
    assert all(e.pk is None for e in built)
    record_events(built)
    events = list(rec.events.order_by("id"))
    assert [e.kind for e in events] == [EventKind.RESPONSE] + [EventKind.REMINDER] * 3
    assert (events[0].actor, events[0].from_state, events[0].to_state) == (
        users["liaison"],
        State.AWAITING_RESPONSE,
        State.ACCEPTED,
    )
    assert events[0].data == {"via": "response"}
    assert [e.note for e in events[1:]] == ["0", "1", "2"]
    assert all(e.actor is None and e.data == {} for e in events[1:])
