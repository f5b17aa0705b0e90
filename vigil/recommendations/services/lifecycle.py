"""The recommendation's life cycle: every status change goes through here.

A change locks the recommendation's row and checks the move against the state read under
the lock (the transition table, `..workflow.TABLE`), so that two concurrent changes never
overwrite each other silently: the second is applied after the first, or refused. The
table's `record` hook keeps the timeline event (`..timeline`) and the audit row in the same
transaction.

Other features call `recommendation_transition` for their moves (responses, the deadline
command, escalation, import), naming the channel with `via=`.
"""

import datetime
from collections.abc import Mapping
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.context import RequestContext

from .. import workflow
from ..enums import EventKind
from ..models import Recommendation
from ..workflow import Via


def lock_for_change(recommendation: Recommendation) -> Recommendation:
    return (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("addressee", "institution", "visit")
        .get(pk=recommendation.pk)
    )


def copy_saved_state(target: Recommendation, source: Recommendation) -> None:
    """Keep the caller's object in step with what was saved."""
    for name in ("state", "state_changed_on", "deadline", "issued_on", "claimed_status"):
        setattr(target, name, getattr(source, name))
    target.assessed_verdict = source.assessed_verdict


def _save_moved(locked: Recommendation) -> None:
    locked.state_changed_on = timezone.localdate()
    locked.full_clean()
    locked.save()


def apply_move(
    locked: Recommendation,
    move: workflow.Transition,
    *,
    actor: User | None,
    note: str,
    data: Mapping[str, Any] | None,
    event_kind: str,
    context: RequestContext | None,
) -> None:
    """Apply a checked move to a locked row: state, then the event and the audit row (the
    table's `record` hook, `..timeline.record_move`)."""
    workflow.TABLE.apply(
        actor,
        locked,
        move,
        values={"note": note},
        extra={"kind": event_kind, "data": data, "context": context},
        save=_save_moved,
    )


def check_move(
    locked: Recommendation,
    to_state: str,
    *,
    actor: User | None,
    via: str,
    note: str,
    deadline: datetime.date | None,
) -> workflow.Transition:
    move = workflow.TABLE.check(
        actor, locked, target=to_state, via=via, values={"note": note, "deadline": deadline}
    )
    return cast(workflow.Transition, move)


@transaction.atomic
def recommendation_transition(
    *,
    actor: User | None,
    recommendation: Recommendation,
    to_state: str,
    note: str = "",
    via: str = Via.MANUAL,
    expected_state: str | None = None,
    deadline: datetime.date | None = None,
    data: Mapping[str, Any] | None = None,
    event_kind: str = EventKind.STATE_CHANGED,
    context: RequestContext | None = None,
) -> Recommendation:
    """Move a recommendation along its life cycle, as the transition table allows.

    The row is locked and the move checked against the state read under the lock: a
    concurrent change that got there first makes this one either still valid (applied after
    it) or refused with a ValidationError on `to_state`. `expected_state` (the state the user
    saw) refuses the move when the state has changed meanwhile. `deadline` is required by
    moves that set a new one. `via` names the channel (`workflow.Via`); the actor is None for
    the system (the scheduled command, an import without an actor).
    """
    locked = lock_for_change(recommendation)
    if expected_state and locked.state != expected_state:
        raise ValidationError(
            {
                "to_state": _(
                    "The status changed meanwhile (it is now “%(state)s”); "
                    "reload the page and try again."
                )
                % {"state": workflow.state_label(locked.state)}
            }
        )
    move = check_move(locked, to_state, actor=actor, via=via, note=note, deadline=deadline)
    if move.needs_deadline and deadline is not None:
        locked.deadline = deadline
    extra = dict(data or {})
    if deadline is not None and move.needs_deadline:
        extra.setdefault("deadline", deadline.isoformat())
    apply_move(
        locked, move, actor=actor, note=note, data=extra, event_kind=event_kind, context=context
    )
    copy_saved_state(recommendation, locked)
    return locked
