"""The visit life cycle (DOMAIN.md) as an explicit transition table.

Each transition says who may make it and what must be true first; the service
`visit_transition` enforces it, the visit page shows the allowed ones as buttons, and every
move is kept as a `VisitTransition` (the table's `record` hook, `.history`). Transitions
through the `REPORT` channel (`via_report`) are made by the report services (submitting and
approving the report), never offered as a bare button. The engine is
`vigil.core.transitions`.
"""

from collections.abc import Callable
from typing import cast

from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import User
from vigil.core.transitions import Move, Requirement, TransitionTable
from vigil.people.models import Participant
from vigil.people.selectors import participant_eligibility_errors

from .enums import TriggerKind, VisitState, VisitType
from .history import record_visit_step
from .models import Visit
from .permissions import can_approve_report, can_manage_visit, is_team_lead

S = VisitState
MIN_TEAM = 3
REPORT = "report"
"""The channel of the moves made by the report services."""
# Entering these states checks the visit's readiness (`readiness_errors`).
PLANNING_CHECKED = (S.PLANNED, S.PREPARED, S.ON_SITE)

Who = Callable[[User, Visit], bool]
NOTE = Requirement("note", _("Give the reason for this step."))


def planner(user: User, visit: Visit) -> bool:
    return can_manage_visit(user, visit)


def planner_or_lead(user: User, visit: Visit) -> bool:
    return can_manage_visit(user, visit) or is_team_lead(user, visit)


def coordinator(user: User, visit: Visit) -> bool:
    return can_approve_report(user, visit)


class Transition(Move[User, Visit]):
    @property
    def via_report(self) -> bool:
        return self.via == REPORT


def _t(
    source: str,
    target: str,
    label: str | Promise,
    who: Who,
    *,
    via_report: bool = False,
    needs_note: bool = False,
) -> Transition:
    return Transition(
        source,
        target,
        label,
        who,
        via=REPORT if via_report else "",
        requires=(NOTE,) if needs_note else (),
        conditions=(readiness_errors,) if target in PLANNING_CHECKED else (),
    )


def _refused(source: str, target: str) -> dict[str, str]:
    return {
        "state": gettext("A visit cannot go from “%(source)s” to “%(target)s”.")
        % {
            "source": VisitState(source).label,
            "target": VisitState(target).label if target in VisitState.values else target,
        }
    }


def readiness_errors(visit: Visit) -> dict[str, list[str]]:
    """What a visit must have before it enters the plan (and at every later planning move)."""
    errors: dict[str, list[str]] = {}
    if visit.type == VisitType.SPECIAL and not visit.trigger_kind:
        errors.setdefault("trigger_kind", []).append(
            str(
                _(
                    "A special visit must name its trigger: an appeal, an incident or a media report."
                )
            )
        )
    if (
        visit.type == VisitType.SPECIAL
        and visit.trigger_kind == TriggerKind.OTHER
        and not visit.trigger_details
    ):
        errors.setdefault("trigger_details", []).append(str(_("Describe the trigger.")))
    if visit.type == VisitType.FOLLOW_UP and visit.follow_up_of_id is None:
        errors.setdefault("follow_up_of", []).append(
            str(_("A follow-up visit must link the earlier visit it checks."))
        )
    if not visit.institutions.exists():
        errors.setdefault("institutions", []).append(str(_("Choose at least one institution.")))
    team = list(visit.team.select_related("participant__user"))
    if len(team) < MIN_TEAM:
        errors.setdefault("team", []).append(
            str(
                ngettext(
                    "A visiting team needs at least %(n)d member; it has %(count)d.",
                    "A visiting team needs at least %(n)d members; it has %(count)d.",
                    MIN_TEAM,
                )
                % {"n": MIN_TEAM, "count": len(team)}
            )
        )
    if sum(1 for m in team if m.is_lead) != 1:
        errors.setdefault("team", []).append(str(_("Name one team lead.")))
    errors_of_members = team_eligibility_errors(visit, [m.participant for m in team])
    if errors_of_members:
        errors.setdefault("team", []).extend(errors_of_members)
    return errors


def team_eligibility_errors(visit: Visit, participants: list[Participant]) -> list[str]:
    """Accreditation on the visit's dates and declared conflicts with its institutions."""
    institutions = list(visit.institutions.all())
    subtrees: dict[int, set[int]] = {}
    messages: list[str] = []
    for participant in participants:
        messages.extend(
            participant_eligibility_errors(
                participant,
                institutions,
                visit.planned_start,
                visit.planned_end,
                _subtrees=subtrees,
            )
        )
    return messages


TRANSITIONS: tuple[Transition, ...] = (
    _t(S.DRAFT, S.PLANNED, _("Put in the plan"), planner),
    _t(S.PLANNED, S.PREPARED, _("Mark prepared"), planner_or_lead),
    _t(S.PREPARED, S.ON_SITE, _("Start the visit"), planner_or_lead),
    _t(S.ON_SITE, S.DEBRIEFED, _("End the visit (debriefed)"), planner_or_lead),
    _t(S.DEBRIEFED, S.REPORT_DRAFT, _("Start the report"), planner_or_lead, via_report=True),
    _t(S.REPORT_DRAFT, S.REPORT_REVIEW, _("Submit the report"), planner_or_lead, via_report=True),
    _t(
        S.REPORT_REVIEW,
        S.REPORT_DRAFT,
        _("Return the report"),
        coordinator,
        via_report=True,
        needs_note=True,
    ),
    _t(S.REPORT_REVIEW, S.REPORT_APPROVED, _("Approve the report"), coordinator, via_report=True),
    _t(S.REPORT_APPROVED, S.SENT_TO_AUTHORITY, _("Mark sent to the authority"), coordinator),
    _t(S.SENT_TO_AUTHORITY, S.RESPONSE_RECEIVED, _("Record the response"), planner),
    _t(S.SENT_TO_AUTHORITY, S.RESPONSE_OVERDUE, _("Mark the response overdue"), planner),
    _t(S.RESPONSE_OVERDUE, S.RESPONSE_RECEIVED, _("Record the response"), planner),
    _t(S.RESPONSE_RECEIVED, S.CLOSED, _("Close"), planner),
    _t(S.RESPONSE_OVERDUE, S.CLOSED, _("Close"), planner, needs_note=True),
    _t(S.DRAFT, S.CANCELLED, _("Cancel"), planner, needs_note=True),
    _t(S.PLANNED, S.CANCELLED, _("Cancel"), planner, needs_note=True),
    _t(S.PREPARED, S.CANCELLED, _("Cancel"), planner, needs_note=True),
    _t(S.POSTPONED, S.CANCELLED, _("Cancel"), planner, needs_note=True),
    _t(S.PLANNED, S.POSTPONED, _("Postpone"), planner, needs_note=True),
    _t(S.PREPARED, S.POSTPONED, _("Postpone"), planner, needs_note=True),
    _t(S.POSTPONED, S.PLANNED, _("Put back in the plan"), planner),
)

TABLE: TransitionTable[User, Visit] = TransitionTable(
    TRANSITIONS, refused=_refused, record=record_visit_step
)


def find(source: str, target: str) -> Transition | None:
    return cast(Transition | None, TABLE.find(source, target))


def may_move(user: User, visit: Visit) -> bool:
    """Whether the user may make any move on the visit by hand (the report's are made by the
    report's steps)."""
    return TABLE.may_move(user, visit)


def available(user: User, visit: Visit, *, include_report_moves: bool = False) -> list[Transition]:
    """The moves this user may make now: the buttons on the visit page."""
    return cast(
        list[Transition], TABLE.available(user, visit, None if include_report_moves else "")
    )
