"""Small-count suppression of published tables (pure Python: no Django, no database).

A table of non-negative counts is published with its totals: a list with its total, or a
table with row totals, column totals and a grand total. Before it leaves the platform:

1. **Primary suppression.** Every count from 1 to 4 (cells and totals alike) is shown as
   `"<5"`. A 0 stays 0: it says that nobody was counted, which reveals nobody. (A reader then
   knows that every `"<5"` is at least 1: the stricter mode below takes that into account.)
2. **Complementary suppression.** No hidden count may be recovered from the published ones.
   - Whenever a line (a row or a column, the totals' row and column included) holds exactly
     one hidden count, the smallest non-zero published count of that line is hidden too
     (ties: the first in reading order — cells row by row, then the row totals, the column
     totals, the grand total).
   - Two hidden counts in every line are not always enough: the equations of several lines
     together can still pin a hidden count down. So each hidden count is audited: it is safe
     when it can be changed by one, up or down, with other hidden counts changed by one to
     keep every row and column sum right, none of them falling below the least value a reader
     is assumed to give a hidden count (`lowest`: 0 by default; 1 in the stricter mode, for a
     reader who uses the fact that zeros are published). Such a change is a cycle in the graph
     whose nodes are the lines and whose edges are the hidden counts (an edge joins a count's
     row and column); a hidden count on no such cycle is pinned, and the published count that
     puts it on one (the smallest that does) is hidden too.
   Both steps repeat until nothing changes. Hiding every non-zero count is always safe, so
   the process ends.

The results hold only counts (`int`) and the marker `SUPPRESSED`; the property tests
(`vigil/analytics/tests/test_suppression_properties.py`) check every rule, the audit against
a linear program's bounds included.
"""

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD = 5
SUPPRESSED = "<5"
NON_NEGATIVE = 0
AT_LEAST_ONE = 1
"""The least value a reader is assumed to give a hidden count: `NON_NEGATIVE` (the default:
hidden counts are protected against subtraction from totals and the other counts, counts being
at least 0), or `AT_LEAST_ONE` (stricter: zeros are published, so a reader knows that a hidden
count is at least 1 and may use it; more counts are hidden)."""

type Cell = int | str


@dataclass(frozen=True)
class SuppressedList:
    values: tuple[Cell, ...]
    total: Cell


@dataclass(frozen=True)
class SuppressedTable:
    cells: tuple[tuple[Cell, ...], ...]
    row_totals: tuple[Cell, ...]
    column_totals: tuple[Cell, ...]
    total: Cell


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


def _can_move(entry: _Entry, up: bool, lowest: int) -> bool:
    """Whether the edge can be crossed: `up` (row → column) adds 1 to sign × value."""
    grows = up == (entry.sign > 0)
    return grows or entry.value - 1 >= lowest


def _path(
    entries: Sequence[_Entry], hidden: set[int], skip: int, start: str, goal: str, lowest: int
) -> bool:
    """A path from `start` to `goal` over the hidden edges except `skip`, each crossed in a
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
            if entry.row == node and _can_move(entry, True, lowest):
                nxt = entry.column
            elif entry.column == node and _can_move(entry, False, lowest):
                nxt = entry.row
            else:
                continue
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return False


def _pinned(entries: Sequence[_Entry], hidden: set[int], index: int, lowest: int) -> bool:
    entry = entries[index]
    up = _can_move(entry, True, lowest) and _path(
        entries, hidden, index, entry.column, entry.row, lowest
    )
    down = _can_move(entry, False, lowest) and _path(
        entries, hidden, index, entry.row, entry.column, lowest
    )
    return not (up or down)


def _order(entries: Sequence[_Entry], index: int) -> tuple[int, int]:
    return (entries[index].value, index)


def _unpinning(entries: Sequence[_Entry], hidden: set[int], index: int, lowest: int) -> int:
    """The published count to hide so that the hidden count `index` is no longer pinned: the
    smallest that does it alone, else the smallest of its lines, else the smallest of all."""
    published = sorted(
        (i for i, e in enumerate(entries) if i not in hidden and e.value > 0),
        key=lambda i: _order(entries, i),
    )
    for candidate in published:
        if not _pinned(entries, hidden | {candidate}, index, lowest):
            return candidate
    entry = entries[index]
    near = [i for i in published if {entries[i].row, entries[i].column} & {entry.row, entry.column}]
    return (near or published)[0]


def _protect(entries: Sequence[_Entry], lines: dict[str, list[int]], lowest: int) -> set[int]:
    hidden = {i for i, e in enumerate(entries) if 0 < e.value < THRESHOLD}
    while True:
        alone = [
            members for members in lines.values() if sum(1 for i in members if i in hidden) == 1
        ]
        if alone:
            members = alone[0]
            partners = [i for i in members if i not in hidden and entries[i].value > 0]
            hidden.add(min(partners, key=lambda i: _order(entries, i)))
            continue
        pinned = next((i for i in sorted(hidden) if _pinned(entries, hidden, i, lowest)), None)
        if pinned is None:
            return hidden
        hidden.add(_unpinning(entries, hidden, pinned, lowest))


def _shown(value: int, index: int, hidden: set[int]) -> Cell:
    return SUPPRESSED if index in hidden else value


def suppress_list(values: Sequence[int], lowest: int = NON_NEGATIVE) -> SuppressedList:
    """A list of counts and its total, suppressed (one line: the counts and their total)."""
    _check(values)
    entries = [_Entry(v, "list", "sum", 1) for v in values]
    entries.append(_Entry(sum(values), "list", "sum", -1))
    hidden = _protect(entries, {"list": list(range(len(entries)))}, lowest)
    shown = [_shown(e.value, i, hidden) for i, e in enumerate(entries)]
    return SuppressedList(values=tuple(shown[:-1]), total=shown[-1])


def suppress_table(cells: Sequence[Sequence[int]], lowest: int = NON_NEGATIVE) -> SuppressedTable:
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
    lines: dict[str, list[int]] = {}
    for index, entry in enumerate(entries):
        lines.setdefault(entry.row, []).append(index)
        lines.setdefault(entry.column, []).append(index)
    hidden = _protect(entries, lines, lowest)
    shown = [_shown(e.value, i, hidden) for i, e in enumerate(entries)]
    inner = rows * columns
    return SuppressedTable(
        cells=tuple(tuple(shown[i * columns : (i + 1) * columns]) for i in range(rows)),
        row_totals=tuple(shown[inner : inner + rows]),
        column_totals=tuple(shown[inner + rows : inner + rows + columns]),
        total=shown[-1],
    )
