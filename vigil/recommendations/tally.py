"""The official three-way tally (implemented / in implementation / not accepted).

This is the ONE place where life-cycle states map to the figures an NPM publishes.
- implemented: the authority's claim of implementation, whether or not verified yet;
- in implementation: accepted, being implemented, partly implemented, or reopened;
- not accepted: the authority refused it.
States outside the tally (draft, issued, awaiting response, no response, escalated,
obsolete) are counted apart. The implementation rate is implemented / issued, where issued
counts every recommendation that left the NPM (all but drafts).
"""

from .enums import State, Tally

TALLY_OF_STATE: dict[str, Tally] = {
    State.IMPLEMENTED_CLAIMED: Tally.IMPLEMENTED,
    State.IMPLEMENTED_VERIFIED: Tally.IMPLEMENTED,
    State.ACCEPTED: Tally.IN_IMPLEMENTATION,
    State.IN_IMPLEMENTATION: Tally.IN_IMPLEMENTATION,
    State.PARTIALLY_IMPLEMENTED: Tally.IN_IMPLEMENTATION,
    State.REOPENED: Tally.IN_IMPLEMENTATION,
    State.NOT_ACCEPTED: Tally.NOT_ACCEPTED,
}

# The state a historical record takes when it only carries the official tally.
STATE_OF_TALLY: dict[str, State] = {
    Tally.IMPLEMENTED: State.IMPLEMENTED_CLAIMED,
    Tally.IN_IMPLEMENTATION: State.IN_IMPLEMENTATION,
    Tally.NOT_ACCEPTED: State.NOT_ACCEPTED,
}

NOT_ISSUED = frozenset({State.DRAFT})


def states_in(tally: Tally) -> list[str]:
    return [state for state, t in TALLY_OF_STATE.items() if t == tally]
