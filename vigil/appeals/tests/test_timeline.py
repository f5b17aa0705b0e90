"""The timelines of appeals, referrals and cases: `..timeline` is the only place that builds
their events, one by one or in bulk, and every life-cycle move keeps its event and audit row."""

from collections.abc import Callable
from typing import Any

import pytest

from vigil.accounts.models import User
from vigil.appeals.enums import AppealState, EventKind
from vigil.appeals.models import Appeal, AppealEvent, CaseEvent, ReferralEvent
from vigil.appeals.timeline import new_event, record_events
from vigil.appeals.workflow import APPEALS
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.visits.tests.test_history import builders_of


@pytest.mark.parametrize("model", ["AppealEvent", "ReferralEvent", "CaseEvent"])
def test_events_are_built_only_by_the_timeline(model: str) -> None:
    places = builders_of(model)
    assert all(place.startswith("appeals/timeline.py:") for place in places), places


@pytest.mark.django_db
def test_bulk_events_go_to_each_timeline(
    make_appeal: Callable[..., Appeal],
    make_referral: Callable[..., Any],
    make_case: Callable[..., Any],
) -> None:
    appeal = make_appeal()
    referral = make_referral(appeal)
    case = make_case(appeal=appeal)
    record_events(
        [
            new_event(appeal, EventKind.NOTE, note="a"),
            new_event(referral, EventKind.NOTE, note="r"),
            new_event(case, EventKind.NOTE, note="c"),
            new_event(appeal, EventKind.NOTE, note="b"),
        ]
    )
    assert [e.note for e in AppealEvent.objects.order_by("id")] == ["a", "b"]
    assert ReferralEvent.objects.get().referral == referral
    assert CaseEvent.objects.get().case == case


@pytest.mark.django_db
def test_a_move_keeps_its_event_and_audit_row(
    users: dict[str, User], make_appeal: Callable[..., Appeal]
) -> None:
    appeal = make_appeal(state=AppealState.TRIAGED)
    APPEALS.make(
        users["coordinator"], appeal, name="review", save=lambda a: a.save(update_fields=["state"])
    )
    event = AppealEvent.objects.get(appeal=appeal)
    assert (event.from_state, event.to_state, event.data["via"]) == (
        AppealState.TRIAGED,
        AppealState.IN_REVIEW,
        "manual",
    )
    row = AuditEvent.objects.get(action=AuditAction.APPEAL_TRANSITIONED)
    assert row.data["to"] == AppealState.IN_REVIEW
