"""The transition-table engine, on a small table of its own (no domain)."""

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from vigil.core.transitions import (
    Move,
    MoveForbidden,
    MoveIncomplete,
    MoveRefused,
    Requirement,
    Step,
    TransitionTable,
)


@dataclass
class Doc:
    state: str = "draft"
    locked: bool = False
    saved: int = 0


@dataclass
class Clerk:
    name: str
    boss: bool = False


def anyone(user: Clerk | None, doc: Doc) -> bool:
    return user is not None


def boss(user: Clerk | None, doc: Doc) -> bool:
    return user is not None and user.boss


def unlocked(doc: Doc) -> dict[str, list[str]]:
    return {"locked": ["The document is locked."]} if doc.locked else {}


NOTE = Requirement("note", "Say why.")
POSITIVE = Requirement("pages", "Give a positive page count.", lambda v: bool(v and v > 0))

MOVES: tuple[Move[Clerk | None, Doc], ...] = (
    Move("draft", "review", "Submit", anyone, name="submit", conditions=(unlocked,)),
    Move("review", "draft", "Return", boss, name="return", requires=(NOTE,)),
    Move("review", "done", "Approve", boss, name="approve"),
    Move("review", "done", "Approve in bulk", boss, via="bulk"),
    Move("draft", "done", "Import", anyone, via="import", requires=(POSITIVE, NOTE)),
    Move("done", "archived", "Archive", boss, via="system"),
)


@dataclass
class Recorder:
    steps: list[Step[Clerk | None, Doc]] = field(default_factory=list)

    def __call__(self, step: Step[Clerk | None, Doc]) -> None:
        self.steps.append(step)


def refused(source: str, target: str) -> dict[str, str]:
    return {"state": f"No step from {source} to {target}."}


def make_table(record: Recorder | None = None) -> TransitionTable[Clerk | None, Doc]:
    return TransitionTable(MOVES, refused=refused, forbidden="Not you.", record=record)


def save(doc: Doc) -> None:
    doc.saved += 1


CLERK = Clerk("clerk")
BOSS = Clerk("boss", boss=True)


def test_find_by_channel_and_name():
    table = make_table()
    assert table.find("review", "done").label == "Approve"  # type: ignore[union-attr]
    assert table.find("review", "done", "bulk").label == "Approve in bulk"  # type: ignore[union-attr]
    assert table.find("review", "done", "import") is None
    assert table.find_named("review", "return") is MOVES[1]
    assert table.find_named("draft", "return") is None
    assert table.states == {"draft", "review", "done", "archived"}


def test_available_lists_the_buttons_for_the_user_and_channel():
    table = make_table()
    doc = Doc(state="review")
    assert [m.label for m in table.available(BOSS, doc)] == ["Return", "Approve"]
    assert [m.label for m in table.available(BOSS, doc, "bulk")] == ["Approve in bulk"]
    assert [m.label for m in table.available(BOSS, doc, None)] == [
        "Return",
        "Approve",
        "Approve in bulk",
    ]
    assert [m.label for m in table.available(BOSS, doc, ("", "bulk"))] == [
        "Return",
        "Approve",
        "Approve in bulk",
    ]
    assert table.available(CLERK, doc) == []
    assert table.available(None, Doc()) == []
    assert MOVES[1].needs_note
    assert not MOVES[2].needs_note
    assert MOVES[4].needs("pages")


def test_a_move_not_in_the_table_is_refused_with_the_apps_message():
    table = make_table()
    doc = Doc(state="draft")
    with pytest.raises(MoveRefused) as exc:
        table.check(BOSS, doc, target="archived")
    assert exc.value.message_dict == {"state": ["No step from draft to archived."]}
    assert isinstance(exc.value, ValidationError)
    with pytest.raises(MoveRefused):
        table.check(BOSS, doc, name="approve")
    with pytest.raises(MoveRefused):  # the move exists, through another channel
        table.check(BOSS, doc, target="done", via="bulk")


def test_a_user_who_may_not_is_forbidden():
    table = make_table()
    doc = Doc(state="review")
    with pytest.raises(MoveForbidden) as exc:
        table.check(CLERK, doc, name="approve")
    assert isinstance(exc.value, PermissionDenied)
    assert str(exc.value) == "Not you."
    bare = TransitionTable(MOVES, refused=refused)
    with pytest.raises(MoveForbidden) as exc:
        bare.check(CLERK, doc, name="approve")
    assert str(exc.value) == ""


def test_who_may_make_no_move_is_forbidden_before_what_it_asked_is_read():
    table = make_table()
    doc = Doc(state="draft")
    assert table.may_move(CLERK, doc)
    assert not table.may_move(CLERK, doc, "system")
    assert table.may_move(BOSS, doc, "system")
    assert table.may_move(CLERK, doc, None)
    assert not table.may_move(None, doc, None)
    # Nothing a clerk may do through the system channel: forbidden, whatever the target.
    for target in ("archived", "nowhere", ""):
        with pytest.raises(MoveForbidden):
            table.check(CLERK, doc, target=target, via="system")
    with pytest.raises(MoveForbidden):
        table.check(None, doc, name="")
    # One who may move the document is told what the table lacks.
    with pytest.raises(MoveRefused):
        table.check(CLERK, doc, target="nowhere")


def test_requirements_are_checked_in_order_and_name_their_field():
    table = make_table()
    doc = Doc(state="draft")
    with pytest.raises(MoveIncomplete) as exc:
        table.check(CLERK, doc, target="done", via="import", values={"note": "ok"})
    assert exc.value.message_dict == {"pages": ["Give a positive page count."]}
    with pytest.raises(MoveIncomplete) as exc:
        table.check(CLERK, doc, target="done", via="import", values={"pages": 3, "note": "  "})
    assert exc.value.message_dict == {"note": ["Say why."]}
    move = table.check(CLERK, doc, target="done", via="import", values={"pages": 3, "note": "x"})
    assert move is MOVES[4]


def test_conditions_on_the_object_are_checked():
    table = make_table()
    with pytest.raises(MoveIncomplete) as exc:
        table.check(CLERK, Doc(locked=True), name="submit")
    assert exc.value.message_dict == {"locked": ["The document is locked."]}


def test_check_needs_a_target_or_a_name():
    with pytest.raises(TypeError):
        make_table().check(CLERK, Doc())


def test_apply_sets_the_state_saves_then_records():
    record = Recorder()
    table = make_table(record)
    doc = Doc(state="review")
    step = table.make(
        BOSS, doc, name="return", values={"note": "Fix it."}, extra={"k": 1}, save=save
    )
    assert doc.state == "draft"
    assert doc.saved == 1
    assert record.steps == [step]
    assert (step.source, step.target, step.note, step.actor) == ("review", "draft", "Fix it.", BOSS)
    assert step.extra == {"k": 1}


def test_apply_refuses_a_move_from_another_state():
    table = make_table()
    doc = Doc(state="draft")
    with pytest.raises(MoveRefused):
        table.apply(BOSS, doc, MOVES[2])
    assert doc.state == "draft"


ACTORS = [None, CLERK, BOSS]
VALUES: list[dict[str, Any]] = [{}, {"note": "why"}, {"note": "why", "pages": 2}]
STATES = ["draft", "review", "done", "archived", "elsewhere"]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(ACTORS),
            st.sampled_from(STATES),
            st.sampled_from(["", "bulk", "import", "system"]),
            st.sampled_from(VALUES),
            st.booleans(),
        ),
        max_size=20,
    )
)
def test_allowed_moves_stay_in_the_table_and_refused_ones_change_nothing(attempts):
    record = Recorder()
    table = make_table(record)
    doc = Doc()
    for actor, target, via, values, locked in attempts:
        doc.locked = locked
        before = doc.state
        move = table.find(before, target, via)
        allowed = move is not None and move in table.available(actor, doc, via)
        try:
            step = table.make(actor, doc, target=target, via=via, values=values, save=save)
        except (ValidationError, PermissionDenied):
            assert doc.state == before
            incomplete = move is not None and (
                any(not r.test(values.get(r.field)) for r in move.requires)
                or any(c(doc) for c in move.conditions)
            )
            assert not allowed or incomplete
        else:
            assert allowed
            assert (step.source, step.target) == (before, target)
        assert doc.state in table.states
    assert len(record.steps) == doc.saved
    for previous, following in zip(record.steps, record.steps[1:], strict=False):
        assert following.source == previous.target
