"""The NPM's assessments of recommendations: accept or dispute the authority's claim
(disputing needs reasons), verify implementation at a visit that took place, record it not
found, reopen. The verdict (`assessed_verdict`) is kept apart from the authority's claim
(`claimed_status`); verification and reopening move the state through the transition table
(`Via.ASSESSMENT`), under the same row lock as every status change."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AuditAction
from vigil.audit.services import audit_record
from vigil.visits.enums import NOT_STARTED_STATES
from vigil.visits.models import Visit
from vigil.visits.permissions import visits_visible_to

from .. import workflow
from ..enums import EventKind, Verdict
from ..models import Assessment, AuthorityResponse, Recommendation
from ..permissions import can_assess_recommendation
from ..timeline import record_event
from ..workflow import Via
from .lifecycle import apply_move, check_move, copy_saved_state, lock_for_change


def _check_visit(actor: User, rec: Recommendation, visit: Visit | None) -> None:
    if visit is None:
        raise ValidationError({"visit": _("Name the visit at which this was checked.")})
    if not visits_visible_to(actor).filter(pk=visit.pk).exists():
        raise ValidationError({"visit": _("Choose a visit you can see.")})
    if visit.state in NOT_STARTED_STATES or visit.started_at is None:
        raise ValidationError({"visit": _("Choose a visit that has taken place.")})
    if (
        rec.institution_id is not None
        and not visit.institutions.filter(pk=rec.institution_id).exists()
    ):
        raise ValidationError({"visit": _("Choose a visit to the recommendation's institution.")})


@transaction.atomic
def recommendation_assess(
    *,
    actor: User,
    recommendation: Recommendation,
    verdict: str,
    reasons: str = "",
    visit: Visit | None = None,
    response: AuthorityResponse | None = None,
    deadline: datetime.date | None = None,
    expected_state: str | None = None,
    context: RequestContext | None = None,
) -> Assessment:
    """The NPM's view: accept or dispute the authority's claim (disputing needs reasons),
    verify implementation at a visit that took place (linked), find it not implemented, or
    reopen with reasons (optionally with a new deadline). Moves the state where the table
    says so; the verdict is kept apart from the authority's claim."""
    locked = lock_for_change(recommendation)
    if not can_assess_recommendation(actor, locked):
        raise PermissionDenied(_("You may not assess this recommendation."))
    if expected_state and locked.state != expected_state:
        raise ValidationError(
            {
                "verdict": _(
                    "The status changed meanwhile (it is now “%(state)s”); "
                    "reload the page and try again."
                )
                % {"state": workflow.state_label(locked.state)}
            }
        )
    has_claim = bool(locked.claimed_status) or locked.responses.exists()
    allowed = workflow.verdicts_allowed(locked.state, has_claim=has_claim)
    if verdict not in allowed:
        if verdict in (Verdict.ACCEPT_CLAIM, Verdict.DISPUTE) and not has_claim:
            message = _("There is no response to accept or dispute yet.")
        else:
            message = _("“%(verdict)s” does not apply to a recommendation in “%(state)s”.") % {
                "verdict": Verdict(verdict).label if verdict in Verdict.values else verdict,
                "state": workflow.state_label(locked.state),
            }
        raise ValidationError({"verdict": message})
    reasons = reasons.strip()
    if verdict in workflow.verdicts_needing_reasons() and not reasons:
        raise ValidationError({"reasons": _("Give the reasons.")})
    if verdict in workflow.verdicts_needing_visit() or visit is not None:
        _check_visit(actor, locked, visit)
    if response is None and verdict in (Verdict.ACCEPT_CLAIM, Verdict.DISPUTE):
        response = locked.responses.order_by("-created_at", "-id").first()
    if response is not None and response.recommendation_id != locked.pk:
        raise ValidationError({"response": _("Choose a response to this recommendation.")})
    if deadline is not None:
        if verdict != Verdict.REOPEN:
            raise ValidationError({"deadline": _("A new deadline is given only on reopening.")})
        if deadline <= timezone.localdate():
            raise ValidationError({"deadline": _("The new deadline must be in the future.")})
    assessment = Assessment(
        recommendation=locked,
        response=response,
        verdict=verdict,
        reasons=reasons,
        visit=visit,
        assessed_by=actor,
    )
    assessment.full_clean()
    assessment.save()
    locked.assessed_verdict = verdict
    target = workflow.state_after_assessment(locked.state, verdict)
    event_data = {
        "verdict": verdict,
        "assessment": str(assessment.public_id),
        "visit": str(visit.public_id) if visit is not None else None,
        "visit_reference": visit.reference if visit is not None else None,
        "response": str(response.public_id) if response is not None else None,
    }
    if target is not None:
        move = check_move(
            locked, target, actor=actor, via=Via.ASSESSMENT, note=reasons, deadline=None
        )
        if deadline is not None:
            locked.deadline = deadline
            event_data["deadline"] = deadline.isoformat()
        apply_move(
            locked,
            move,
            actor=actor,
            note=reasons,
            data=event_data,
            event_kind=EventKind.ASSESSMENT,
            context=context,
        )
    else:
        locked.full_clean()
        locked.save(update_fields=["assessed_verdict", "updated_at"])
        record_event(
            locked,
            EventKind.ASSESSMENT,
            actor=actor,
            note=reasons,
            data=event_data,
        )
    audit_record(
        actor=actor,
        action=AuditAction.RECOMMENDATION_ASSESSED,
        target=locked,
        data={
            "verdict": verdict,
            "reasons": reasons,
            "visit": event_data["visit"],
            "response": event_data["response"],
            "state": locked.state,
        },
        context=context,
    )
    copy_saved_state(recommendation, locked)
    return assessment
