"""Writes to visits: planning, the team, the life cycle, access incidents."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record
from vigil.registry.models import Institution

from .. import workflow
from ..enums import VisitState
from ..models import Visit, VisitTransition

_PLANNING_CHECKED = {VisitState.PLANNED, VisitState.PREPARED, VisitState.ON_SITE}


@transaction.atomic
def visit_transition(
    *,
    actor: User,
    visit: Visit,
    to_state: str,
    note: str = "",
    via_report: bool = False,
    context: RequestContext | None = None,
) -> Visit:
    """Move a visit along its life cycle, as the transition table allows.

    `via_report=True` is passed only by the report services, for the moves that submitting,
    returning and approving a report make.
    """
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    move = workflow.find(visit.state, to_state)
    if move is None or move.via_report != via_report:
        raise ValidationError(
            {
                "state": _("A visit cannot go from “%(source)s” to “%(target)s”.")
                % {
                    "source": VisitState(visit.state).label,
                    "target": VisitState(to_state).label
                    if to_state in VisitState.values
                    else to_state,
                }
            }
        )
    if not move.who(actor, visit):
        raise PermissionDenied
    if move.needs_note and not note.strip():
        raise ValidationError({"note": _("Give the reason for this step.")})
    if to_state in _PLANNING_CHECKED:
        errors = workflow.readiness_errors(visit)
        if errors:
            raise ValidationError(errors)
    source = visit.state
    visit.state = to_state
    now = timezone.now()
    if to_state == VisitState.ON_SITE and visit.started_at is None:
        visit.started_at = now
    if to_state == VisitState.DEBRIEFED and visit.ended_at is None:
        visit.ended_at = now
        _record_last_visit(visit)
    visit.full_clean()
    visit.save()
    VisitTransition.objects.create(
        visit=visit, from_state=source, to_state=to_state, actor=actor, note=note
    )
    audit_record(
        actor=actor,
        action=AuditAction.VISIT_TRANSITIONED,
        target=visit,
        data={"from": source, "to": to_state, "note": note},
        context=context,
    )
    return visit


def _record_last_visit(visit: Visit) -> None:
    """The registry's `last_visited_on` follows visits that took place."""
    day = timezone.localdate(visit.started_at) if visit.started_at else timezone.localdate()
    for institution in visit.institutions.all():
        if institution.last_visited_on is None or institution.last_visited_on < day:
            Institution.objects.filter(pk=institution.pk).update(last_visited_on=day)
