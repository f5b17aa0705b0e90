"""The shared `record` hook of the tables whose objects keep a timeline: one event through the
app's `keep`, one audit row, on any object (no domain)."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pytest

from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.models import AuditEvent
from vigil.core.timeline import record_timeline_move
from vigil.core.transitions import Move, Step


@dataclass(frozen=True)
class Kept:
    obj: Any
    kind: str
    fields: Mapping[str, Any]


def keep(
    obj: Any,
    kind: str,
    *,
    actor: Any,
    from_state: str,
    to_state: str,
    note: str,
    data: Mapping[str, Any],
) -> Kept:
    return Kept(
        obj,
        kind,
        {"actor": actor, "from": from_state, "to": to_state, "note": note, "data": data},
    )


def _step(obj: Any, actor: Any, **extra: Any) -> Step[Any, Any]:
    move: Move[Any, Any] = Move("open", "closed", "Close", lambda u, o: True, via="web")
    return Step(obj, move, "open", actor, values={"note": "Done."}, extra=extra)


@pytest.mark.django_db
def test_one_event_and_one_audit_row(users: dict[str, Any], ref: dict[str, Any]) -> None:
    place, actor = ref["astana"], users["coordinator"]
    event = record_timeline_move(
        _step(place, actor), keep=keep, kind="moved", action=AuditAction.CASE_TRANSITIONED
    )
    assert event == Kept(
        place,
        "moved",
        {"actor": actor, "from": "open", "to": "closed", "note": "Done.", "data": {"via": "web"}},
    )
    row = AuditEvent.objects.get()
    assert row.action == AuditAction.CASE_TRANSITIONED.value
    assert row.actor == actor
    assert (row.target_type, row.target_id) == ("reference.region", str(place.public_id))
    assert row.data == {"from": "open", "to": "closed", "via": "web", "note": "Done."}


@pytest.mark.django_db
def test_the_step_may_give_the_kind_more_data_and_the_request(
    users: dict[str, Any], ref: dict[str, Any]
) -> None:
    context = RequestContext(request_id="req-1", ip="192.0.2.7")
    step = _step(ref["astana"], None, kind="reopened", data={"letter": "L-1"}, context=context)
    event = record_timeline_move(
        step, keep=keep, kind="moved", action=AuditAction.CASE_TRANSITIONED
    )
    assert event.kind == "reopened"
    assert event.fields["data"] == {"via": "web", "letter": "L-1"}
    row = AuditEvent.objects.get()
    assert (row.request_id, row.ip, row.actor_label) == ("req-1", "192.0.2.7", "system")
    assert "letter" not in row.data
