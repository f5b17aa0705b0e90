"""One transition-table engine for every life cycle (visits, visit reports, recommendations).

A domain app describes its life cycle as a `TransitionTable` of `Move`s: from which state to
which, through which channel (`via`), under which name and label (the button), who may make
it (a predicate supplied by the app's permission policy) and what must be filled or true
first (`Requirement`s on the submitted values, `Condition`s on the object). The table then

- lists the moves a user may make now (`available`: the buttons),
- validates a move (`check`: forbidden when the user may make no move on the object at all
  or not this one, refused when the table has no such move from the current state,
  incomplete when something is missing, each error naming the field), and
- applies it (`apply`: sets the state, lets the app save, then calls the table's `record`
  hook, which keeps the history).

The engine knows no domain: states, channels and names are plain strings, users and objects
are whatever the app's predicates take, and every message comes from the app. Presentation
(button styles) belongs to templates, never to a table.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.functional import Promise

type Message = str | Promise


def filled(value: Any) -> bool:
    """The default requirement test: a value was given (blank text counts as missing)."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    return True


@dataclass(frozen=True)
class Requirement:
    """A value the move needs: `test(values.get(field))` must hold, else `message` on `field`."""

    field: str
    message: Message
    test: Callable[[Any], bool] = filled


type Condition[ObjT] = Callable[[ObjT], Mapping[str, list[str]]]
"""What must be true of the object first: the errors by field ({} when none)."""


@dataclass(frozen=True)
class Move[UserT, ObjT]:
    source: str
    target: str
    label: Message
    who: Callable[[UserT, ObjT], bool]
    via: str = ""
    name: str = ""
    requires: tuple[Requirement, ...] = ()
    conditions: tuple[Condition[ObjT], ...] = ()

    def needs(self, name: str) -> bool:
        """Whether the move requires the value `name` (a form shows that input)."""
        return any(r.field == name for r in self.requires)

    @property
    def needs_note(self) -> bool:
        return self.needs("note")


@dataclass(frozen=True)
class Step[UserT, ObjT]:
    """A move being applied, as the `record` hook sees it."""

    obj: ObjT
    move: Move[UserT, ObjT]
    source: str
    actor: UserT
    values: Mapping[str, Any] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def target(self) -> str:
        return self.move.target

    @property
    def note(self) -> str:
        return str(self.values.get("note") or "")


class MoveRefused(ValidationError):
    """The table has no such move from the object's current state."""


class MoveForbidden(PermissionDenied):
    """The move exists but this user may not make it."""


class MoveIncomplete(ValidationError):
    """A required value is missing or a condition does not hold."""


type Refusal = Callable[[str, str], Mapping[str, Message]]
"""The error for a move not in the table: (current state, wanted target or name) → {field:
message}."""


class TransitionTable[UserT, ObjT]:
    def __init__(
        self,
        moves: Iterable[Move[UserT, ObjT]],
        *,
        refused: Refusal,
        forbidden: Message | None = None,
        record: Callable[[Step[UserT, ObjT]], object] | None = None,
        state_attr: str = "state",
    ) -> None:
        self.moves: tuple[Move[UserT, ObjT], ...] = tuple(moves)
        self.refused = refused
        self.forbidden = forbidden
        self.record = record
        self.state_attr = state_attr
        self._index: dict[tuple[str, str, str], Move[UserT, ObjT]] = {}
        for move in self.moves:
            self._index.setdefault((move.source, move.target, move.via), move)

    @property
    def states(self) -> frozenset[str]:
        """Every state the table names."""
        return frozenset(s for m in self.moves for s in (m.source, m.target))

    def state_of(self, obj: ObjT) -> str:
        return str(getattr(obj, self.state_attr))

    def find(self, source: str, target: str, via: str | None = None) -> Move[UserT, ObjT] | None:
        """The move from `source` to `target` through `via` (None: any channel), or None."""
        if via is not None:
            return self._index.get((str(source), str(target), str(via)))
        return next((m for m in self.moves if m.source == source and m.target == target), None)

    def find_named(self, source: str, name: str) -> Move[UserT, ObjT] | None:
        return next((m for m in self.moves if m.source == source and m.name == name), None)

    def allows(self, actor: UserT, obj: ObjT, move: Move[UserT, ObjT]) -> bool:
        return move.source == self.state_of(obj) and move.who(actor, obj)

    def may_move(self, actor: UserT, obj: ObjT, via: str | None = "") -> bool:
        """Whether `actor` may make any move of the table on `obj` through `via` (None: any
        channel), whatever the object's state: who may not is refused before anything it
        sent is read (`check`)."""
        asked: set[Callable[[UserT, ObjT], bool]] = set()
        for move in self.moves:
            if (via is None or move.via == via) and move.who not in asked:
                if move.who(actor, obj):
                    return True
                asked.add(move.who)
        return False

    def available(
        self, actor: UserT, obj: ObjT, via: str | Iterable[str] | None = ""
    ) -> list[Move[UserT, ObjT]]:
        """The moves `actor` may make now through `via` (None: any channel): the buttons."""
        vias = None if via is None else {via} if isinstance(via, str) else set(via)
        state = self.state_of(obj)
        return [
            m
            for m in self.moves
            if m.source == state and (vias is None or m.via in vias) and m.who(actor, obj)
        ]

    def check(
        self,
        actor: UserT,
        obj: ObjT,
        *,
        target: str | None = None,
        name: str | None = None,
        via: str | None = "",
        values: Mapping[str, Any] | None = None,
    ) -> Move[UserT, ObjT]:
        """The move to `target` (or named `name`) from the object's state, once validated.

        Raises `MoveForbidden` (the user may make no move of the table on the object through
        `via`, or not this one), `MoveRefused` (not in the table) or `MoveIncomplete` (the
        first requirement not met, or a condition's errors)."""
        state = self.state_of(obj)
        if name is not None:
            move = self.find_named(state, name)
        else:
            if target is None:
                raise TypeError("check() needs a target or a name")
            move = self.find(state, target, via)
        if move is None or not move.who(actor, obj):
            if move is not None or not self.may_move(actor, obj, via):
                raise self._forbidden()
            raise MoveRefused(dict(self.refused(state, str(name or target))))
        given = values or {}
        for requirement in move.requires:
            if not requirement.test(given.get(requirement.field)):
                raise MoveIncomplete({requirement.field: requirement.message})
        for condition in move.conditions:
            errors = condition(obj)
            if errors:
                raise MoveIncomplete(dict(errors))
        return move

    def _forbidden(self) -> MoveForbidden:
        return MoveForbidden() if self.forbidden is None else MoveForbidden(self.forbidden)

    def apply(
        self,
        actor: UserT,
        obj: ObjT,
        move: Move[UserT, ObjT],
        *,
        values: Mapping[str, Any] | None = None,
        extra: Mapping[str, Any] | None = None,
        save: Callable[[ObjT], object] | None = None,
    ) -> Step[UserT, ObjT]:
        """Apply a checked move: set the state, `save(obj)`, then call the `record` hook."""
        source = self.state_of(obj)
        if move.source != source:
            raise MoveRefused(dict(self.refused(source, move.target)))
        setattr(obj, self.state_attr, move.target)
        if save is not None:
            save(obj)
        step = Step(obj, move, source, actor, dict(values or {}), dict(extra or {}))
        if self.record is not None:
            self.record(step)
        return step

    def make(
        self,
        actor: UserT,
        obj: ObjT,
        *,
        target: str | None = None,
        name: str | None = None,
        via: str | None = "",
        values: Mapping[str, Any] | None = None,
        extra: Mapping[str, Any] | None = None,
        save: Callable[[ObjT], object] | None = None,
    ) -> Step[UserT, ObjT]:
        """`check` then `apply`."""
        move = self.check(actor, obj, target=target, name=name, via=via, values=values)
        return self.apply(actor, obj, move, values=values, extra=extra, save=save)
