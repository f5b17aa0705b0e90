"""A recommendation's timeline (`RecommendationEvent`): the only place that builds its events.

`record_event` keeps one event; `new_event` builds one unsaved for the bulk paths (reminders,
the import, demo data), which keep them with `record_events`. `record_move` is the `record`
hook of the life cycle's transition table (`.workflow`): the event and the audit row of
every move.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from vigil.accounts.models import User
from vigil.audit.enums import AuditAction
from vigil.core.timeline import record_timeline_move
from vigil.core.transitions import Step

from .enums import EventKind
from .models import Recommendation, RecommendationEvent

BATCH_SIZE = 500


def new_event(
    recommendation: Recommendation,
    kind: str,
    *,
    actor: User | None = None,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    data: Mapping[str, Any] | None = None,
) -> RecommendationEvent:
    """An unsaved event (keep it with `record_events`)."""
    return RecommendationEvent(
        recommendation=recommendation,
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        note=note,
        data=dict(data or {}),
    )


def record_event(
    recommendation: Recommendation,
    kind: str,
    *,
    actor: User | None = None,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    data: Mapping[str, Any] | None = None,
) -> RecommendationEvent:
    """Keep one event on the recommendation's timeline."""
    event = new_event(
        recommendation,
        kind,
        actor=actor,
        from_state=from_state,
        to_state=to_state,
        note=note,
        data=data,
    )
    event.save(force_insert=True)
    return event


def record_events(events: Iterable[RecommendationEvent]) -> list[RecommendationEvent]:
    """Keep events built by `new_event`, in bulk."""
    return RecommendationEvent.objects.bulk_create(list(events), batch_size=BATCH_SIZE)


def record_move(step: Step[User | None, Recommendation]) -> RecommendationEvent:
    """The event and the audit row of a life-cycle move (`step.extra`: see
    `record_timeline_move`)."""
    return record_timeline_move(
        step,
        keep=record_event,
        kind=EventKind.STATE_CHANGED,
        action=AuditAction.RECOMMENDATION_TRANSITIONED,
    )
