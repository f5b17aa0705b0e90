"""Property tests of small-count suppression, against a reader who believes the markers:
whatever the table, no published count is 1–4, every marker tells the truth ("<5": 1 to 4,
"x": 5 or more), no hidden count can be worked out from the published counts, the equations
and the markers' bounds, published counts are the true ones, and the output holds nothing but
counts and the two markers (or nothing, for a table that cannot be protected)."""

from collections.abc import Sequence

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from ..opendata.suppression import (
    HIDDEN,
    MARKERS,
    SMALL,
    Cell,
    SuppressedList,
    SuppressedTable,
    suppress_list,
    suppress_table,
)

EXAMPLES = settings(max_examples=200, deadline=None)
BIG = 10**6
"""The greatest value the linear program gives an "x" (any bound above every total will do)."""

# Small counts are what suppression is about: draw them often, with some large ones.
counts = st.one_of(st.integers(0, 6), st.integers(0, 60))

type Where = tuple[str, int, int]


@st.composite
def tables(draw: st.DrawFn, most: int = 6) -> list[list[int]]:
    rows = draw(st.integers(1, most))
    columns = draw(st.integers(1, most))
    return [draw(st.lists(counts, min_size=columns, max_size=columns)) for _ in range(rows)]


def _lines(cells: list[list[int]]) -> list[tuple[list[Where], Where]]:
    """Every line of the table as (its members, its total), each member named by where it is:
    ("cell", i, j), ("row", i, 0), ("column", j, 0), ("grand", 0, 0)."""
    rows, columns = len(cells), len(cells[0])
    lines = [([("cell", i, j) for j in range(columns)], ("row", i, 0)) for i in range(rows)]
    lines += [([("cell", i, j) for i in range(rows)], ("column", j, 0)) for j in range(columns)]
    lines.append(([("column", j, 0) for j in range(columns)], ("grand", 0, 0)))
    lines.append(([("row", i, 0) for i in range(rows)], ("grand", 0, 0)))
    return lines


def _true(cells: list[list[int]], where: Where) -> int:
    kind, i, j = where
    if kind == "cell":
        return cells[i][j]
    if kind == "row":
        return sum(cells[i])
    if kind == "column":
        return sum(row[i] for row in cells)
    return sum(map(sum, cells))


def _shown(result: SuppressedTable, where: Where) -> Cell:
    kind, i, j = where
    if kind == "cell":
        return result.cells[i][j]
    if kind == "row":
        return result.row_totals[i]
    if kind == "column":
        return result.column_totals[i]
    return result.total


def _everything(result: SuppressedTable) -> list[Cell]:
    return [
        *(c for row in result.cells for c in row),
        *result.row_totals,
        *result.column_totals,
        result.total,
    ]


def _range(
    lines: Sequence[tuple[list[int], int]],
    values: Sequence[int],
    shown: Sequence[Cell],
) -> list[tuple[int, float, float]]:
    """For each hidden value (by index), the least and the greatest value it can take while
    every line holds (its members, given as indexes into `values`, summing to its total), the
    published values fixed and each hidden one within its marker's bounds: [1, 4] for "<5",
    [5, BIG] for "x". A linear program: the equations of a table with margins are those of a
    network (each count is an edge between its row and its column), so their matrix is
    totally unimodular and, the bounds being whole numbers, so are the program's optima — the
    least and the greatest whole values a reader can give the count."""
    hidden = [k for k, value in enumerate(shown) if value in MARKERS]
    position = {index: k for k, index in enumerate(hidden)}
    a_eq, b_eq = [], []
    for members, total in lines:
        row = np.zeros(len(hidden))
        rhs = 0
        for index, coefficient in [(m, 1) for m in members] + [(total, -1)]:
            if index in position:
                row[position[index]] += coefficient
            else:
                rhs -= coefficient * values[index]
        if row.any():
            a_eq.append(row)
            b_eq.append(rhs)
        else:
            assert rhs == 0
    bounds = [(1, 4) if shown[k] == SMALL else (5, BIG) for k in hidden]
    found = []
    for k, index in enumerate(hidden):
        objective = np.zeros(len(hidden))
        objective[k] = 1
        low = linprog(objective, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds)
        high = linprog(-objective, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds)
        assert low.status == 0
        assert high.status == 0
        found.append((index, low.fun, -high.fun))
    return found


def _table_lines(cells: list[list[int]]) -> tuple[list[Where], list[tuple[list[int], int]]]:
    places = sorted({w for members, total in _lines(cells) for w in [*members, total]})
    index = {where: k for k, where in enumerate(places)}
    lines = [([index[m] for m in members], index[total]) for members, total in _lines(cells)]
    return places, lines


# ------------------------------------------------------------------ tables


@EXAMPLES
@given(tables())
def test_no_published_count_is_between_1_and_4(cells: list[list[int]]) -> None:
    result = suppress_table(cells)
    for value in _everything(result):
        assert value in (*MARKERS, None) or not 1 <= value <= 4  # type: ignore[operator]


@EXAMPLES
@given(tables())
def test_the_markers_tell_the_truth_and_published_counts_are_the_true_ones(
    cells: list[list[int]],
) -> None:
    result = suppress_table(cells)
    assert len(result.cells) == len(cells)
    assert all(len(row) == len(cells[0]) for row in result.cells)
    places, _ = _table_lines(cells)
    for where in places:
        shown, real = _shown(result, where), _true(cells, where)
        if result.withheld:
            assert shown is None
        elif shown == SMALL:
            assert 1 <= real <= 4
        elif shown == HIDDEN:
            assert real >= 5
        else:
            assert type(shown) is int
            assert shown == real


@EXAMPLES
@given(tables())
def test_no_hidden_count_is_pinned_for_a_reader_who_believes_the_markers(
    cells: list[list[int]],
) -> None:
    result = suppress_table(cells)
    if result.withheld:  # nothing is published, so nothing can be worked out
        assert set(_everything(result)) == {None}
        return
    places, lines = _table_lines(cells)
    values = [_true(cells, where) for where in places]
    shown = [_shown(result, where) for where in places]
    for k, low, high in _range(lines, values, shown):
        assert low <= values[k] <= high
        assert high - low >= 1, f"{places[k]} is pinned at {values[k]}"


@EXAMPLES
@given(tables())
def test_a_table_is_withheld_only_when_hiding_everything_leaves_a_count_pinned(
    cells: list[list[int]],
) -> None:
    if not suppress_table(cells).withheld:
        return
    places, lines = _table_lines(cells)
    values = [_true(cells, where) for where in places]
    everything: list[Cell] = [SMALL if 1 <= v <= 4 else HIDDEN if v else 0 for v in values]
    assert any(high - low < 1 for _k, low, high in _range(lines, values, everything))


def test_two_small_counts_with_a_published_total_of_8_are_protected() -> None:
    # "<5" + "<5" = 8 would tell the reader that both are 4: the total is hidden too ("x").
    assert suppress_list([4, 4]) == SuppressedList((SMALL, SMALL), HIDDEN)
    result = suppress_list([4, 4, 100])
    assert result.values[:2] == (SMALL, SMALL)
    assert HIDDEN in (result.values[2], result.total)


def test_a_count_of_12_hidden_to_protect_a_small_one_is_shown_as_x() -> None:
    result = suppress_table([[12, 3], [20, 30]])
    assert result.cells[0] == (HIDDEN, SMALL)  # the 12 is hidden, and not as "<5"
    assert SMALL not in (*result.cells[1], *result.row_totals, *result.column_totals)


def test_a_pair_of_ones_whose_sum_is_known_is_protected_further() -> None:
    # Each line hides two counts, yet 102 - 100 = 2 and each "<5" is at least 1: both would
    # be 1. A third count of the rows is hidden too.
    result = suppress_table([[1, 1, 100], [1, 1, 100]])
    assert result.cells[0][:2] == result.cells[1][:2] == (SMALL, SMALL)
    assert HIDDEN in (result.cells[0][2], result.cells[1][2], *result.row_totals)


def test_a_count_linking_two_protected_blocks_is_protected() -> None:
    # Two 2×2 blocks of small counts, and a small count joining them: each line holds two
    # hidden counts or more, but the joining count is the difference of two known sums.
    cells = [
        [2, 2, 1, 0, 100],
        [2, 2, 0, 0, 100],
        [0, 0, 2, 2, 100],
        [0, 0, 2, 2, 100],
        [100, 100, 100, 100, 100],  # every column total published
    ]
    result = suppress_table(cells)
    hidden = sum(row.count(SMALL) + row.count(HIDDEN) for row in result.cells)
    assert hidden > 9


def test_four_ones_under_a_small_total_cannot_be_protected_and_are_withheld() -> None:
    # Four "<5" counts whose total is "<5" are each 1, whatever else is hidden.
    assert suppress_list([1, 1, 1, 1]) == SuppressedList((None,) * 4, None, withheld=True)
    assert suppress_table([[1, 1], [1, 1]]).withheld
    assert not suppress_list([1, 1, 2]).withheld


def test_zeros_stay_and_large_counts_are_published() -> None:
    result = suppress_table([[0, 10], [20, 30]])
    assert result == SuppressedTable(((0, 10), (20, 30)), (10, 50), (20, 40), 60)


# ------------------------------------------------------------------ lists


@EXAMPLES
@given(st.lists(counts, min_size=0, max_size=8))
def test_a_list_hides_no_count_a_reader_can_pin(values: list[int]) -> None:
    result = suppress_list(values)
    shown = [*result.values, result.total]
    true = [*values, sum(values)]
    assert len(result.values) == len(values)
    if result.withheld:
        assert set(shown) == {None}
        return
    for value, real in zip(shown, true, strict=True):
        assert type(value) is int or value in MARKERS
        assert value != SMALL or 1 <= real <= 4
        assert value != HIDDEN or real >= 5
        assert value in MARKERS or (value == real and not 1 <= real <= 4)
    line = [(list(range(len(values))), len(values))]
    for k, low, high in _range(line, true, shown):
        assert low <= true[k] <= high
        assert high - low >= 1


def test_lists() -> None:
    assert suppress_list([1, 1, 100]) == SuppressedList((SMALL, SMALL, HIDDEN), 102)
    assert suppress_list([258, 17, 0]) == SuppressedList((258, 17, 0), 275)
    assert suppress_list([8, 2, 0]) == SuppressedList((HIDDEN, SMALL, 0), 10)
    assert suppress_list([]) == SuppressedList((), 0)


def test_negative_or_ragged_input_is_refused() -> None:
    for bad in ([[1, -1]], [[1, 2], [3]], [[1.5]]):
        try:
            suppress_table(bad)  # type: ignore[arg-type]
        except ValueError:
            continue
        raise AssertionError(bad)
