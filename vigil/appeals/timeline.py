"""The timelines of appeals, referrals and criminal cases: the only place that builds their
events (`AppealEvent`, `ReferralEvent`, `CaseEvent`).

`record_event(obj, kind, ...)` keeps one event on the timeline of `obj`; `new_event` builds
one unsaved for bulk paths (imports, demo data), kept with `record_events`. `record_move` is
the `record` hook of the three transition tables (`.workflow`): the event and the audit row
of every move.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Model

from vigil.accounts.models import User
from vigil.audit.enums import AuditAction
from vigil.core.timeline import record_timeline_move
from vigil.core.transitions import Step

from .enums import EventKind
from .models import Appeal, AppealEvent, CaseEvent, CriminalCase, Referral, ReferralEvent

BATCH_SIZE = 500

type Event = AppealEvent | ReferralEvent | CaseEvent

_MOVED: dict[type[Model], AuditAction] = {
    Appeal: AuditAction.APPEAL_TRANSITIONED,
    Referral: AuditAction.REFERRAL_TRANSITIONED,
    CriminalCase: AuditAction.CASE_TRANSITIONED,
}


def new_event(
    obj: Appeal | Referral | CriminalCase,
    kind: str,
    *,
    actor: User | None = None,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    data: Mapping[str, Any] | None = None,
) -> Event:
    """An unsaved event on the timeline of `obj` (keep it with `record_events`)."""
    fields: dict[str, Any] = {
        "kind": kind,
        "actor": actor,
        "from_state": from_state,
        "to_state": to_state,
        "note": note,
        "data": dict(data or {}),
    }
    if isinstance(obj, Appeal):
        return AppealEvent(appeal=obj, **fields)
    if isinstance(obj, Referral):
        return ReferralEvent(referral=obj, **fields)
    return CaseEvent(case=obj, **fields)


def record_event(
    obj: Appeal | Referral | CriminalCase,
    kind: str,
    *,
    actor: User | None = None,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    data: Mapping[str, Any] | None = None,
) -> Event:
    """Keep one event on the timeline of `obj`."""
    event = new_event(
        obj, kind, actor=actor, from_state=from_state, to_state=to_state, note=note, data=data
    )
    event.save(force_insert=True)
    return event


def record_events(events: Iterable[Event]) -> None:
    """Keep events built by `new_event`, in bulk (one query per kind of timeline)."""
    by_model: dict[type[Model], list[Event]] = {}
    for event in events:
        by_model.setdefault(type(event), []).append(event)
    for model, rows in by_model.items():
        model._default_manager.bulk_create(rows, batch_size=BATCH_SIZE)


def record_move(step: Step[User | None, Any]) -> Event:
    """The event and the audit row of a life-cycle move of an appeal, a referral or a case
    (`step.extra`: see `record_timeline_move`)."""
    return record_timeline_move(
        step, keep=record_event, kind=EventKind.STATE_CHANGED, action=_MOVED[type(step.obj)]
    )
