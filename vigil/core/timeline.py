"""A life-cycle move kept on a timeline: the `record` hook shared by the transition tables
(`vigil.core.transitions`) whose objects have a timeline of events (appeals, referrals,
criminal cases, recommendations).

It knows no domain: the app gives how one event is kept on its timeline (`keep`, its
`record_event`), the event kind of a plain move and the audit action of its moves.
"""

from collections.abc import Mapping
from typing import Any, Protocol

from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record

from .transitions import Step


class KeepEvent[EventT](Protocol):
    """An app's `record_event`: keeps one event on the timeline of `obj`."""

    def __call__(
        self,
        obj: Any,
        kind: str,
        /,
        *,
        actor: Any,
        from_state: str,
        to_state: str,
        note: str,
        data: Mapping[str, Any],
    ) -> EventT: ...


def record_timeline_move[EventT](
    step: Step[Any, Any], *, keep: KeepEvent[EventT], kind: str, action: AuditAction
) -> EventT:
    """The event (kept by `keep`) and the audit row (`action`) of a move.

    `step.extra` may give the event's `kind` (default `kind`), more of its `data` (beside the
    move's channel, `via`) and the request `context` of the audit row."""
    via = str(step.move.via)
    event = keep(
        step.obj,
        str(step.extra.get("kind") or kind),
        actor=step.actor,
        from_state=step.source,
        to_state=step.target,
        note=step.note,
        data={"via": via, **dict(step.extra.get("data") or {})},
    )
    audit_record(
        actor=step.actor,
        action=action,
        target=step.obj,
        data={"from": step.source, "to": step.target, "via": via, "note": step.note},
        context=step.extra.get("context"),
    )
    return event
