"""Small-count suppression of published tables (pure Python: no Django, no database).

A table of non-negative counts is published with its totals: a list with its total, or a
table with row totals, column totals and a grand total. Before it leaves the platform, each
count (cells and totals alike) is published exactly, or hidden behind one of two markers that
tell the truth about it:

- `SMALL` (`"<5"`): a count from 1 to 4 (**primary suppression**). A 0 is published: it says
  that nobody was counted, which reveals nobody; so a reader knows that a `"<5"` is 1 to 4.
- `HIDDEN` (`"x"`): a count of 5 or more, hidden to protect a small count elsewhere in the
  table (**complementary suppression**); a reader knows that it is at least 5 (a count from 1
  to 4 would have been `"<5"`).

**The reader.** A reader believes the markers and knows every row and column equation: they
know each `"<5"` is in [1, 4] and each `"x"` in [5, ∞), the published counts, and that every
line (a row or a column, the totals' row and column included) sums to its total. A hidden
count is safe when the counts consistent with all of this give it more than one value.

**The audit.** The counts are edges of a graph whose nodes are the lines (an edge joins a
count's row and its column); the equations make the counts a circulation on it. A hidden count
can take another value iff it lies on a cycle of hidden counts that can be moved by one: each
count on the cycle rises or falls by one (as the cycle crosses it), staying within its
marker's bounds (rising needs value + 1 ≤ upper bound, falling value − 1 ≥ lower bound), the
published counts fixed. (The equations of a table with margins are a network's, so their
matrix is totally unimodular: if a count can take another value, it can take one differing by
one along such a cycle.) A hidden count on no such cycle is **pinned**; then one more published
count is hidden — of the non-zero published counts, those of the pinned count's lines first, the
smaller first, and the grand total (the headline number) last: the first whose hiding unpins it
alone, else the first of them — and the audit runs again, until no hidden count is pinned.
Hiding a count only widens what a reader can conclude (its marker's bounds hold its value), so
a count once safe stays safe.

Some tables cannot be protected at all: four counts of 1 whose total is `"<5"` are each 1
(each at least 1, together at most 4), whatever else is hidden. When a count is still pinned
after every non-zero count is hidden, the table is **withheld**: no count of it is published
(`None` everywhere, `withheld` true).

The results hold only counts (`int`) and the two markers, or nothing when withheld; the
property tests (`vigil/analytics/tests/test_suppression_properties.py`) check every rule, the
audit against a linear program's bounds included.
"""

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD = 5
SMALL = "<5"
"""The marker of a count from 1 to 4."""
HIDDEN = "x"
"""The marker of a count of 5 or more hidden to protect a small count elsewhere in the table."""
MARKERS = (SMALL, HIDDEN)

type Cell = int | str | None


@dataclass(frozen=True)
class SuppressedList:
    values: tuple[Cell, ...]
    total: Cell
    withheld: bool = False


@dataclass(frozen=True)
class SuppressedTable:
    cells: tuple[tuple[Cell, ...], ...]
    row_totals: tuple[Cell, ...]
    column_totals: tuple[Cell, ...]
    total: Cell
    withheld: bool = False


@dataclass(frozen=True)
class _Entry:
    """A count as an edge between its two lines; `sign` puts it in the lines' equations
    (every line sums to zero: cells count +1, their total -1, the grand total +1)."""

    value: int
    row: str
    column: str
    sign: int


def _check(values: Sequence[int]) -> None:
    for value in values:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"a count must be a non-negative integer, not {value!r}")


def marker(value: int) -> str:
    """The marker a hidden count is shown with."""
    return SMALL if value < THRESHOLD else HIDDEN


def bounds(value: int) -> tuple[int, int | None]:
    """What a reader knows of a hidden count from its marker: the least and the greatest
    value (None: no greatest)."""
    return (1, THRESHOLD - 1) if value < THRESHOLD else (THRESHOLD, None)


def _can_move(entry: _Entry, up: bool) -> bool:
    """Whether the hidden count can be crossed: `up` (row → column) adds 1 to sign × value."""
    low, high = bounds(entry.value)
    if up == (entry.sign > 0):
        return high is None or entry.value + 1 <= high
    return entry.value - 1 >= low


def _path(entries: Sequence[_Entry], hidden: set[int], skip: int, start: str, goal: str) -> bool:
    """A path from `start` to `goal` over the hidden counts except `skip`, each crossed in a
    direction it can move."""
    seen = {start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            return True
        for index in hidden:
            if index == skip:
                continue
            entry = entries[index]
            if entry.row == node and _can_move(entry, True):
                nxt = entry.column
            elif entry.column == node and _can_move(entry, False):
                nxt = entry.row
            else:
                continue
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return False


def _pinned(entries: Sequence[_Entry], hidden: set[int], index: int) -> bool:
    entry = entries[index]
    up = _can_move(entry, True) and _path(entries, hidden, index, entry.column, entry.row)
    down = _can_move(entry, False) and _path(entries, hidden, index, entry.row, entry.column)
    return not (up or down)


def _unpinning(entries: Sequence[_Entry], hidden: set[int], index: int) -> int | None:
    """The published count to hide for the pinned count `index` (None: none is left).

    Preferred: the counts of the pinned count's lines, then the others; the smaller first;
    the grand total (a list's total) last: the table's headline number. The first count of that order whose
    hiding unpins `index` is hidden, else the first of the order (the loop goes on)."""
    grand = len(entries) - 1  # the grand total of a table, the total of a list
    lines = {entries[index].row, entries[index].column}

    def preference(i: int) -> tuple[bool, bool, int, int]:
        near = bool({entries[i].row, entries[i].column} & lines)
        return (i == grand, not near, entries[i].value, i)

    published = sorted(
        (i for i, e in enumerate(entries) if i not in hidden and e.value > 0), key=preference
    )
    for candidate in published:
        if candidate != grand and not _pinned(entries, hidden | {candidate}, index):
            return candidate
    return published[0] if published else None


def _protect(entries: Sequence[_Entry]) -> set[int] | None:
    """The counts to hide (None: the table cannot be protected and is withheld)."""
    hidden = {i for i, e in enumerate(entries) if 0 < e.value < THRESHOLD}
    while True:
        pinned = next((i for i in sorted(hidden) if _pinned(entries, hidden, i)), None)
        if pinned is None:
            return hidden
        extra = _unpinning(entries, hidden, pinned)
        if extra is None:
            return None
        hidden.add(extra)


def _shown(entries: Sequence[_Entry]) -> list[Cell]:
    hidden = _protect(entries)
    if hidden is None:
        return [None] * len(entries)
    return [marker(e.value) if i in hidden else e.value for i, e in enumerate(entries)]


def suppress_list(values: Sequence[int]) -> SuppressedList:
    """A list of counts and its total, suppressed (one line: the counts and their total)."""
    _check(values)
    entries = [_Entry(v, "list", "sum", 1) for v in values]
    entries.append(_Entry(sum(values), "list", "sum", -1))
    shown = _shown(entries)
    return SuppressedList(values=tuple(shown[:-1]), total=shown[-1], withheld=shown[-1] is None)


def suppress_table(cells: Sequence[Sequence[int]]) -> SuppressedTable:
    """A table of counts (rows of equal length) with its totals, suppressed."""
    rows = len(cells)
    columns = len(cells[0]) if rows else 0
    if any(len(row) != columns for row in cells):
        raise ValueError("every row must have the same number of cells")
    for row in cells:
        _check(row)
    row_totals = [sum(row) for row in cells]
    column_totals = [sum(row[j] for row in cells) for j in range(columns)]
    entries = [
        _Entry(cells[i][j], f"r{i}", f"c{j}", 1) for i in range(rows) for j in range(columns)
    ]
    entries += [_Entry(total, f"r{i}", "c*", -1) for i, total in enumerate(row_totals)]
    entries += [_Entry(total, "r*", f"c{j}", -1) for j, total in enumerate(column_totals)]
    entries.append(_Entry(sum(row_totals), "r*", "c*", 1))
    shown = _shown(entries)
    inner = rows * columns
    return SuppressedTable(
        cells=tuple(tuple(shown[i * columns : (i + 1) * columns]) for i in range(rows)),
        row_totals=tuple(shown[inner : inner + rows]),
        column_totals=tuple(shown[inner + rows : inner + rows + columns]),
        total=shown[-1],
        withheld=shown[-1] is None,
    )
