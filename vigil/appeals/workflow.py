"""The life cycles of appeals, referrals and criminal cases (DOMAIN.md) as transition tables
on the engine of `vigil.core.transitions`.

Appeal:    RECEIVED → REGISTERED → TRIAGED → IN_REVIEW / REFERRED / EXPLAINED / OUT_OF_MANDATE
           → RESPONSE_RECEIVED → CLOSED_RESOLVED or CLOSED_UNRESOLVED; MERGED on the side.
Referral:  SENT → ACKNOWLEDGED → REGISTERED (pre-trial register number) or REFUSED
           → OUTCOME_RECEIVED.
Case:      REPORTED → REGISTERED or REGISTRATION_REFUSED → INVESTIGATION → CHARGED → IN_COURT
           → CONVICTED / ACQUITTED → FINAL; TERMINATED (grounds) and SUSPENDED on the side.

Channels (`Via`): `MANUAL` — the buttons of the detail pages; `REFERRAL` — the referral
service moves the appeal it refers; `MERGE` — the merge service closes a duplicate; `IMPORT`
— historical imports set any state. Each table's `record` hook keeps the timeline event and
the audit row (`.timeline.record_move`); the services enforce the tables under a row lock.
"""

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import User
from vigil.core.transitions import Move, Requirement, TransitionTable

from .enums import AppealState, CaseState, ReferralState
from .models import Appeal, CriminalCase, Referral
from .permissions import can_handle_appeal, can_manage_case, can_update_referral
from .timeline import record_move

A = AppealState
R = ReferralState
C = CaseState


class Via(StrEnum):
    MANUAL = "manual"
    REFERRAL = "referral"
    MERGE = "merge"
    IMPORT = "import"


def _refused(kind: Any) -> Callable[[str, str], dict[str, Any]]:
    def refused(state: str, target: str) -> dict[str, Any]:
        return {
            "state": gettext("This %(kind)s cannot go from “%(state)s” to “%(target)s”.")
            % {"kind": str(kind), "state": state, "target": target}
        }

    return refused


# --- appeals ---------------------------------------------------------------------------------


def handler(user: User | None, appeal: Appeal) -> bool:
    return can_handle_appeal(user, appeal)


NOTE = Requirement("note", _("Say what was done: it is kept on the appeal's timeline."))
OUTCOME = Requirement("note", _("Write the outcome: it is kept and shown in the answer letter."))
FORWARDED_TO = Requirement("forwarded_to", _("Name the body the appeal is forwarded to."))


def _triaged(appeal: Appeal) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if appeal.subject_id is None:
        errors["subject"] = [gettext("Choose the subject of the appeal before triage.")]
    if appeal.institution_id is None and not appeal.institution_text.strip():
        errors["institution"] = [
            gettext("Name the institution the appeal is about (or what the appellant wrote).")
        ]
    return errors


APPEAL_MOVES: tuple[Move[User | None, Appeal], ...] = (
    Move(A.RECEIVED, A.REGISTERED, _("Register"), handler, Via.MANUAL, "register"),
    Move(
        A.REGISTERED,
        A.TRIAGED,
        _("Triage"),
        handler,
        Via.MANUAL,
        "triage",
        conditions=(_triaged,),
    ),
    Move(
        A.REGISTERED,
        A.OUT_OF_MANDATE,
        _("Forward: outside the mandate"),
        handler,
        Via.MANUAL,
        "forward",
        requires=(FORWARDED_TO,),
    ),
    Move(A.TRIAGED, A.IN_REVIEW, _("Start the review"), handler, Via.MANUAL, "review"),
    Move(A.TRIAGED, A.REFERRED, _("Referred"), handler, Via.REFERRAL, "refer"),
    Move(A.IN_REVIEW, A.REFERRED, _("Referred"), handler, Via.REFERRAL, "refer"),
    Move(A.TRIAGED, A.EXPLAINED, _("Explain the rights"), handler, Via.MANUAL, "explain", (NOTE,)),
    Move(
        A.IN_REVIEW, A.EXPLAINED, _("Explain the rights"), handler, Via.MANUAL, "explain", (NOTE,)
    ),
    Move(
        A.TRIAGED,
        A.OUT_OF_MANDATE,
        _("Forward: outside the mandate"),
        handler,
        Via.MANUAL,
        "forward",
        requires=(FORWARDED_TO,),
    ),
    Move(
        A.IN_REVIEW,
        A.RESPONSE_RECEIVED,
        _("Record the answer"),
        handler,
        Via.MANUAL,
        "answer",
        (NOTE,),
    ),
    Move(
        A.REFERRED,
        A.RESPONSE_RECEIVED,
        _("Record the answer"),
        handler,
        Via.MANUAL,
        "answer",
        (NOTE,),
    ),
    *(
        Move(source, target, label, handler, Via.MANUAL, name, (OUTCOME,))
        for source in (A.RESPONSE_RECEIVED, A.EXPLAINED, A.OUT_OF_MANDATE)
        for target, label, name in (
            (A.CLOSED_RESOLVED, _("Close: resolved"), "close_resolved"),
            (A.CLOSED_UNRESOLVED, _("Close: unresolved"), "close_unresolved"),
        )
    ),
    *(
        Move(source, A.MERGED, _("Merge into another appeal"), handler, Via.MERGE, "merge")
        for source in (A.RECEIVED, A.REGISTERED, A.TRIAGED, A.IN_REVIEW)
    ),
)

APPEALS: TransitionTable[User | None, Appeal] = TransitionTable(
    APPEAL_MOVES, refused=_refused(_("appeal")), record=record_move
)


# --- referrals -------------------------------------------------------------------------------


def referral_keeper(user: User | None, referral: Referral) -> bool:
    return can_update_referral(user, referral)


REGISTER_NUMBER = Requirement(
    "register_number", _("Give the number in the pre-trial investigations register.")
)
REFUSAL_REASON = Requirement("refusal_reason", _("Say why the body refused."))
REFERRAL_OUTCOME = Requirement("outcome", _("Write the outcome the body reported."))

REFERRAL_MOVES: tuple[Move[User | None, Referral], ...] = (
    Move(R.SENT, R.ACKNOWLEDGED, _("Acknowledged"), referral_keeper, Via.MANUAL, "acknowledge"),
    *(
        Move(
            source,
            R.REGISTERED,
            _("Registered"),
            referral_keeper,
            Via.MANUAL,
            "register",
            (REGISTER_NUMBER,),
        )
        for source in (R.SENT, R.ACKNOWLEDGED)
    ),
    *(
        Move(
            source,
            R.REFUSED,
            _("Refused"),
            referral_keeper,
            Via.MANUAL,
            "refuse",
            (REFUSAL_REASON,),
        )
        for source in (R.SENT, R.ACKNOWLEDGED)
    ),
    *(
        Move(
            source,
            R.OUTCOME_RECEIVED,
            _("Outcome received"),
            referral_keeper,
            Via.MANUAL,
            "outcome",
            (REFERRAL_OUTCOME,),
        )
        for source in (R.REGISTERED, R.REFUSED)
    ),
)

REFERRALS: TransitionTable[User | None, Referral] = TransitionTable(
    REFERRAL_MOVES, refused=_refused(_("referral")), record=record_move
)


# --- criminal cases --------------------------------------------------------------------------


def case_keeper(user: User | None, case: CriminalCase) -> bool:
    return can_manage_case(user, case)


CASE_REGISTER_NUMBER = Requirement(
    "register_number", _("Give the number in the pre-trial investigations register.")
)
TERMINATION_GROUND = Requirement(
    "termination_ground", _("Choose the grounds on which the case was terminated.")
)


def _case_move(
    source: str, target: str, label: Any, name: str, *requires: Requirement
) -> Move[User | None, CriminalCase]:
    return Move(source, target, label, case_keeper, Via.MANUAL, name, tuple(requires))


CASE_MOVES: tuple[Move[User | None, CriminalCase], ...] = (
    _case_move(C.REPORTED, C.REGISTERED, _("Registered"), "register", CASE_REGISTER_NUMBER),
    _case_move(C.REPORTED, C.REGISTRATION_REFUSED, _("Registration refused"), "refuse", NOTE),
    _case_move(
        C.REGISTRATION_REFUSED,
        C.REGISTERED,
        _("Registered after all"),
        "register",
        CASE_REGISTER_NUMBER,
    ),
    _case_move(C.REGISTERED, C.INVESTIGATION, _("Investigation opened"), "investigate"),
    _case_move(C.SUSPENDED, C.INVESTIGATION, _("Investigation resumed"), "investigate", NOTE),
    _case_move(C.TERMINATED, C.INVESTIGATION, _("Termination annulled"), "investigate", NOTE),
    _case_move(C.INVESTIGATION, C.CHARGED, _("Charged"), "charge"),
    _case_move(C.CHARGED, C.IN_COURT, _("Sent to court"), "court"),
    _case_move(C.IN_COURT, C.CONVICTED, _("Convicted"), "convict"),
    _case_move(C.IN_COURT, C.ACQUITTED, _("Acquitted"), "acquit"),
    _case_move(C.CONVICTED, C.FINAL, _("Verdict final"), "final"),
    _case_move(C.ACQUITTED, C.FINAL, _("Verdict final"), "final"),
    *(
        _case_move(source, C.TERMINATED, _("Terminated"), "terminate", TERMINATION_GROUND)
        for source in (C.REGISTERED, C.INVESTIGATION, C.CHARGED)
    ),
    *(
        _case_move(source, C.SUSPENDED, _("Suspended"), "suspend", NOTE)
        for source in (C.REGISTERED, C.INVESTIGATION, C.CHARGED)
    ),
)

CASES: TransitionTable[User | None, CriminalCase] = TransitionTable(
    CASE_MOVES, refused=_refused(_("criminal case")), record=record_move
)
