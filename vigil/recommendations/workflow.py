"""The recommendation life cycle (DOMAIN.md) as an explicit transition table.

    DRAFT → ISSUED → AWAITING_RESPONSE → ACCEPTED / NOT_ACCEPTED / NO_RESPONSE
    ACCEPTED → IN_IMPLEMENTATION → IMPLEMENTED_CLAIMED → IMPLEMENTED_VERIFIED or REOPENED
    on the side: PARTIALLY_IMPLEMENTED, ESCALATED, OBSOLETE

Each move says from which state to which, through which channel (`Via`), who may make it
and what must be filled; `TABLE` runs it on the engine of `vigil.core.transitions`.
`vigil.recommendations.services.lifecycle.recommendation_transition` enforces it (against the
state read under a row lock, so two concurrent changes never overwrite each other silently),
the detail page shows the `Via.MANUAL` moves allowed to the user as buttons, and every move
is kept as a `RecommendationEvent` (the table's `record` hook, `.timeline.record_move`).

Channels:
- `ISSUE`: the issuing service (a draft leaves the NPM, sets its issue date and deadline);
- `MANUAL`: the NPM's buttons (coordinators, administrators, regional representatives in
  scope): mark sent, give a new deadline, close as obsolete;
- `RESPONSE`: the authority's response moves the state to what it claims (liaisons of the
  addressee, or the NPM recording a paper letter); a response whose claim is the current
  state records the response without a move;
- `ASSESSMENT`: the NPM's assessment (verify at a follow-up visit, implementation not found,
  reopen); accepting or disputing a claim changes the verdict, not the state;
- `SYSTEM`: the scheduled deadline command (actor None): sent → awaiting, → no response;
- `ESCALATION`: the escalation service (coordinators);
- `IMPORT`: the historical import may set any issued state (actor None or an importer).

The authority's claim (`claimed_status`, from responses) and the NPM's verdict
(`assessed_verdict`, from assessments) are kept apart from the state and from each other.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import cast

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import User
from vigil.core.transitions import Move, Requirement, TransitionTable

from .enums import ClaimedStatus, State, Verdict
from .models import Recommendation
from .permissions import (
    RESPONDABLE_STATES,
    can_assess_recommendation,
    can_escalate_recommendation,
    can_import_recommendations,
    can_issue_recommendation,
    can_manage_recommendation,
    can_respond_to_recommendation,
    can_run_system_moves,
)
from .timeline import record_move

S = State


class Via(StrEnum):
    ISSUE = "issue"
    MANUAL = "manual"
    RESPONSE = "response"
    ASSESSMENT = "assessment"
    SYSTEM = "system"
    ESCALATION = "escalation"
    IMPORT = "import"


Who = Callable[[User | None, Recommendation], bool]


def issuer(user: User | None, rec: Recommendation) -> bool:
    return can_issue_recommendation(user, rec)


def npm(user: User | None, rec: Recommendation) -> bool:
    """The NPM's own moves: coordinators, administrators, regional representatives in scope."""
    return can_manage_recommendation(user, rec)


def authority(user: User | None, rec: Recommendation) -> bool:
    """A response: the addressee's liaisons, or the NPM recording an answer received by letter."""
    return can_respond_to_recommendation(user, rec) or can_manage_recommendation(user, rec)


def assessor(user: User | None, rec: Recommendation) -> bool:
    return can_assess_recommendation(user, rec)


def system(user: User | None, rec: Recommendation) -> bool:
    """The scheduled command runs without a user; coordinators may run it by hand."""
    return can_run_system_moves(user)


def escalator(user: User | None, rec: Recommendation) -> bool:
    return can_escalate_recommendation(user, rec)


def importer(user: User | None, rec: Recommendation) -> bool:
    return user is None or can_import_recommendations(user)


def _future(day: datetime.date | None) -> bool:
    return day is not None and day > timezone.localdate()


NOTE = Requirement("note", _("Give the reason for this step."))
DEADLINE = (
    Requirement("deadline", _("Give the new deadline.")),
    Requirement("deadline", _("The new deadline must be in the future."), _future),
)


@dataclass(frozen=True)
class Transition(Move[User | None, Recommendation]):
    needs_visit: bool = False
    """Made by an assessment that names the follow-up visit (the assessment checks it)."""

    @property
    def needs_deadline(self) -> bool:
        return self.needs("deadline")


def _t(
    source: str,
    target: str,
    via: Via,
    label: str | Promise,
    who: Who,
    *,
    needs_note: bool = False,
    needs_deadline: bool = False,
    needs_visit: bool = False,
) -> Transition:
    return Transition(
        source,
        target,
        label,
        who,
        via=via,
        requires=((NOTE,) if needs_note else ()) + (DEADLINE if needs_deadline else ()),
        needs_visit=needs_visit,
    )


def _refused(source: str, target: str) -> dict[str, str]:
    return {
        "to_state": gettext(
            "A recommendation cannot go from “%(source)s” to “%(target)s” "
            "(its status is now “%(source)s”)."
        )
        % {"source": state_label(source), "target": state_label(target)}
    }


def state_label(value: str) -> str:
    return str(State(value).label) if value in State.values else value


STATE_OF_CLAIM: dict[str, str] = {
    ClaimedStatus.ACCEPTED: S.ACCEPTED,
    ClaimedStatus.NOT_ACCEPTED: S.NOT_ACCEPTED,
    ClaimedStatus.IN_IMPLEMENTATION: S.IN_IMPLEMENTATION,
    ClaimedStatus.PARTIALLY_IMPLEMENTED: S.PARTIALLY_IMPLEMENTED,
    ClaimedStatus.IMPLEMENTED: S.IMPLEMENTED_CLAIMED,
}
"""The state a response moves a recommendation to, by what the authority claims."""

ISSUED_STATES: frozenset[str] = frozenset(s for s in S.values if s != S.DRAFT)

CLOSABLE: tuple[str, ...] = (
    S.ISSUED,
    S.AWAITING_RESPONSE,
    S.ACCEPTED,
    S.NOT_ACCEPTED,
    S.NO_RESPONSE,
    S.IN_IMPLEMENTATION,
    S.PARTIALLY_IMPLEMENTED,
    S.IMPLEMENTED_CLAIMED,
    S.REOPENED,
    S.ESCALATED,
)
"""Open states the NPM may close as obsolete (the institution closed, the law changed)."""

VERIFIABLE: tuple[str, ...] = (
    S.ISSUED,
    S.AWAITING_RESPONSE,
    S.ACCEPTED,
    S.NOT_ACCEPTED,
    S.NO_RESPONSE,
    S.IN_IMPLEMENTATION,
    S.PARTIALLY_IMPLEMENTED,
    S.IMPLEMENTED_CLAIMED,
    S.REOPENED,
    S.ESCALATED,
)
"""States in which a follow-up visit may find the recommendation implemented."""

REOPENABLE: tuple[str, ...] = (
    S.NOT_ACCEPTED,
    S.NO_RESPONSE,
    S.PARTIALLY_IMPLEMENTED,
    S.IMPLEMENTED_CLAIMED,
    S.IMPLEMENTED_VERIFIED,
    S.OBSOLETE,
)
"""States the NPM may reopen (with reasons): the issue is back or was never fixed. A visit
that finds a claimed or verified implementation missing (`Verdict.NOT_VERIFIED`) reopens too."""

ESCALATABLE: tuple[str, ...] = (
    S.ISSUED,
    S.AWAITING_RESPONSE,
    S.ACCEPTED,
    S.NOT_ACCEPTED,
    S.NO_RESPONSE,
    S.IN_IMPLEMENTATION,
    S.PARTIALLY_IMPLEMENTED,
    S.IMPLEMENTED_CLAIMED,
    S.REOPENED,
)
"""States from which the escalation service may re-issue upwards (it checks the reason:
overdue, not accepted, repeatedly unimplemented)."""

NO_RESPONSE_FROM: tuple[str, ...] = (S.ISSUED, S.AWAITING_RESPONSE, S.REOPENED)
"""States the deadline command moves to NO_RESPONSE after the deadline and grace period."""


def _response_moves() -> tuple[Transition, ...]:
    moves = []
    for source in sorted(RESPONDABLE_STATES):
        for claim, target in STATE_OF_CLAIM.items():
            if target != source:
                label = ClaimedStatus(claim).label
                moves.append(_t(source, target, Via.RESPONSE, label, authority))
    return tuple(moves)


def _import_moves() -> tuple[Transition, ...]:
    return tuple(
        _t(source, target, Via.IMPORT, S(target).label, importer)
        for source in sorted(ISSUED_STATES)
        for target in sorted(ISSUED_STATES)
        if source != target
    )


TRANSITIONS: tuple[Transition, ...] = (
    # issuing
    _t(S.DRAFT, S.ISSUED, Via.ISSUE, _("Issue"), issuer),
    # the NPM's buttons
    _t(S.ISSUED, S.AWAITING_RESPONSE, Via.MANUAL, _("Mark sent to the authority"), npm),
    _t(
        S.NO_RESPONSE,
        S.AWAITING_RESPONSE,
        Via.MANUAL,
        _("Give a new deadline"),
        npm,
        needs_note=True,
        needs_deadline=True,
    ),
    *(
        _t(s, S.OBSOLETE, Via.MANUAL, _("Close as obsolete"), npm, needs_note=True)
        for s in CLOSABLE
    ),
    # the scheduled deadline command
    _t(S.ISSUED, S.AWAITING_RESPONSE, Via.SYSTEM, _("Sent to the authority"), system),
    *(
        _t(s, S.NO_RESPONSE, Via.SYSTEM, _("No response by the deadline"), system)
        for s in NO_RESPONSE_FROM
    ),
    # the authority's responses
    *_response_moves(),
    # the NPM's assessments
    *(
        _t(
            s,
            S.IMPLEMENTED_VERIFIED,
            Via.ASSESSMENT,
            _("Verify implementation at a visit"),
            assessor,
            needs_visit=True,
        )
        for s in VERIFIABLE
    ),
    *(
        _t(s, S.REOPENED, Via.ASSESSMENT, _("Reopen"), assessor, needs_note=True)
        for s in REOPENABLE
    ),
    # escalation to the next level up
    *(
        _t(s, S.ESCALATED, Via.ESCALATION, _("Escalate"), escalator, needs_note=True)
        for s in ESCALATABLE
    ),
    # historical import
    *_import_moves(),
)

TABLE: TransitionTable[User | None, Recommendation] = TransitionTable(
    TRANSITIONS,
    refused=_refused,
    forbidden=_("You may not make this change."),
    record=record_move,
)


def find(source: str, target: str, via: str = Via.MANUAL) -> Transition | None:
    """The move from `source` to `target` through `via`, or None when the table has none."""
    return cast(Transition | None, TABLE.find(source, target, via))


def available(user: User | None, rec: Recommendation, via: str = Via.MANUAL) -> list[Transition]:
    """The moves this user may make now through `via`: the buttons on the detail page."""
    return cast(list[Transition], TABLE.available(user, rec, via))


def state_after_response(state: str, claim: str) -> str | None:
    """Where a response claiming `claim` moves a recommendation in `state` (None: no move —
    the claim is the current state, or the state takes no responses)."""
    target = STATE_OF_CLAIM.get(str(claim))
    if target is None or target == state or find(state, target, Via.RESPONSE) is None:
        return None
    return target


def state_after_assessment(state: str, verdict: str) -> str | None:
    """Where an assessment with `verdict` moves a recommendation in `state` (None: no move).

    Accepting or disputing a claim records the NPM's view without moving the state;
    `NOT_VERIFIED` reopens only a claimed or verified implementation."""
    target = {
        Verdict.VERIFIED: S.IMPLEMENTED_VERIFIED,
        Verdict.NOT_VERIFIED: S.REOPENED,
        Verdict.REOPEN: S.REOPENED,
    }.get(verdict)  # type: ignore[call-overload]
    if target is None or target == state or find(state, target, Via.ASSESSMENT) is None:
        return None
    return str(target)


def verdicts_needing_reasons() -> frozenset[str]:
    return frozenset({Verdict.DISPUTE, Verdict.NOT_VERIFIED, Verdict.REOPEN})


def verdicts_needing_visit() -> frozenset[str]:
    return frozenset({Verdict.VERIFIED, Verdict.NOT_VERIFIED})


def verdicts_allowed(state: str, *, has_claim: bool) -> list[str]:
    """The assessments that make sense in `state` (the assessment form's choices): a claim
    is accepted or disputed only once the authority has made one."""
    if state == S.DRAFT:
        return []
    allowed: list[str] = []
    if has_claim:
        allowed += [Verdict.ACCEPT_CLAIM, Verdict.DISPUTE]
    if state in VERIFIABLE or state == S.IMPLEMENTED_VERIFIED:
        allowed += [Verdict.VERIFIED, Verdict.NOT_VERIFIED]
    if state in REOPENABLE:
        allowed.append(Verdict.REOPEN)
    return allowed
