"""Property tests of small-count suppression: whatever the table, no published count is 1–4,
no hidden count can be recovered from the published ones, published counts are the true ones,
and the output holds nothing but counts and the marker."""

from collections.abc import Sequence

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from ..opendata.suppression import (
    AT_LEAST_ONE,
    NON_NEGATIVE,
    SUPPRESSED,
    Cell,
    SuppressedList,
    SuppressedTable,
    suppress_list,
    suppress_table,
)

EXAMPLES = settings(max_examples=200, deadline=None)

# Small counts are what suppression is about: draw them often, with some large ones.
counts = st.one_of(st.integers(0, 6), st.integers(0, 60))


@st.composite
def tables(draw: st.DrawFn, most: int = 6) -> list[list[int]]:
    rows = draw(st.integers(1, most))
    columns = draw(st.integers(1, most))
    return [draw(st.lists(counts, min_size=columns, max_size=columns)) for _ in range(rows)]


def _lines(cells: list[list[int]]) -> list[tuple[list[tuple[str, int, int]], tuple[str, int, int]]]:
    """Every line of the table as (its members, its total), each member named by where it is:
    ("cell", i, j), ("row", i, 0), ("column", j, 0), ("grand", 0, 0)."""
    rows, columns = len(cells), len(cells[0])
    lines = [([("cell", i, j) for j in range(columns)], ("row", i, 0)) for i in range(rows)]
    lines += [([("cell", i, j) for i in range(rows)], ("column", j, 0)) for j in range(columns)]
    lines.append(([("column", j, 0) for j in range(columns)], ("grand", 0, 0)))
    lines.append(([("row", i, 0) for i in range(rows)], ("grand", 0, 0)))
    return lines


def _true(cells: list[list[int]], where: tuple[str, int, int]) -> int:
    kind, i, j = where
    if kind == "cell":
        return cells[i][j]
    if kind == "row":
        return sum(cells[i])
    if kind == "column":
        return sum(row[i] for row in cells)
    return sum(map(sum, cells))


def _shown(result: SuppressedTable, where: tuple[str, int, int]) -> Cell:
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


def _interval(
    lines: Sequence[tuple[list[int], int]],
    values: Sequence[int],
    hidden: Sequence[int],
    lowest: int,
) -> list[tuple[float, float]]:
    """For each hidden value, the least and the greatest value it can take while every line
    (members summing to the line's total, all given as indexes into `values`) holds, the
    published values fixed and the hidden ones at least `lowest`: a linear program
    (the tables' equations are totally unimodular, so its bounds are whole numbers)."""
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
    bounds = [(lowest, None)] * len(hidden)
    found = []
    for k in range(len(hidden)):
        objective = np.zeros(len(hidden))
        objective[k] = 1
        low = linprog(objective, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds)
        high = linprog(-objective, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds)
        assert low.status == 0  # the true values are a solution
        found.append((low.fun, float("inf") if high.status == 3 else -high.fun))
    return found


# ------------------------------------------------------------------ tables


@EXAMPLES
@given(tables())
def test_no_published_count_is_between_1_and_4(cells: list[list[int]]) -> None:
    result = suppress_table(cells)
    for value in _everything(result):
        assert value == SUPPRESSED or not 1 <= value <= 4  # type: ignore[operator]


@EXAMPLES
@given(tables())
def test_every_line_hides_none_or_at_least_two(cells: list[list[int]]) -> None:
    result = suppress_table(cells)
    for members, total in _lines(cells):
        hidden = [w for w in [*members, total] if _shown(result, w) == SUPPRESSED]
        assert len(hidden) != 1


@EXAMPLES
@given(tables())
def test_published_counts_are_the_true_ones_and_nothing_else_is_output(
    cells: list[list[int]],
) -> None:
    result = suppress_table(cells)
    for members, total in _lines(cells):
        for where in [*members, total]:
            shown = _shown(result, where)
            assert type(shown) is int or shown == SUPPRESSED
            if shown != SUPPRESSED:
                assert shown == _true(cells, where)
            else:
                assert _true(cells, where) > 0  # a zero is never hidden
    assert len(result.cells) == len(cells)
    assert all(len(row) == len(cells[0]) for row in result.cells)


modes = st.sampled_from([NON_NEGATIVE, AT_LEAST_ONE])


@EXAMPLES
@given(tables(), modes)
def test_no_hidden_count_can_be_recovered_from_the_published_ones(
    cells: list[list[int]], lowest: int
) -> None:
    # A reader who knows that counts are at least 0 (the default) or, in the stricter mode,
    # that a hidden count is at least 1 (zeros being published) cannot pin any hidden count.
    result = suppress_table(cells, lowest)
    places = sorted({w for members, total in _lines(cells) for w in [*members, total]})
    index = {where: k for k, where in enumerate(places)}
    values = [_true(cells, where) for where in places]
    hidden = [index[w] for w in places if _shown(result, w) == SUPPRESSED]
    lines = [([index[m] for m in members], index[total]) for members, total in _lines(cells)]
    for k, (low, high) in zip(hidden, _interval(lines, values, hidden, lowest), strict=True):
        assert low <= values[k] <= high
        assert high - low >= 1, f"{places[k]} is pinned at {values[k]}"


def test_a_pair_of_ones_whose_sum_is_known_is_protected_further_in_the_stricter_mode() -> None:
    # Each line hides two counts, yet 102 - 100 = 2 and each hidden count is at least 1:
    # both would be 1. The stricter audit hides more.
    cells = [[1, 1, 100], [1, 1, 100]]
    assert suppress_table(cells).cells == ((SUPPRESSED, SUPPRESSED, 100),) * 2
    result = suppress_table(cells, AT_LEAST_ONE)
    assert result.row_totals == (102, 102)
    assert result.cells[0][2] == SUPPRESSED or result.cells[1][2] == SUPPRESSED


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
    hidden = sum(row.count(SUPPRESSED) for row in result.cells)
    assert hidden > 9


def test_zeros_stay_and_large_counts_are_published() -> None:
    result = suppress_table([[0, 10], [20, 30]])
    assert result == SuppressedTable(((0, 10), (20, 30)), (10, 50), (20, 40), 60)


def test_a_small_count_hides_its_partners_in_every_line() -> None:
    result = suppress_table([[3, 10], [20, 30]])
    assert result.cells == ((SUPPRESSED, SUPPRESSED), (SUPPRESSED, SUPPRESSED))
    assert result.row_totals == (13, 50)
    assert result.column_totals == (23, 40)
    assert result.total == 63


# ------------------------------------------------------------------ lists


@EXAMPLES
@given(st.lists(counts, min_size=0, max_size=8), modes)
def test_a_list_hides_no_count_alone(values: list[int], lowest: int) -> None:
    result = suppress_list(values, lowest)
    shown = [*result.values, result.total]
    true = [*values, sum(values)]
    assert len(result.values) == len(values)
    for value, real in zip(shown, true, strict=True):
        assert type(value) is int or value == SUPPRESSED
        assert value == SUPPRESSED or (value == real and not 1 <= real <= 4)
    hidden = [k for k, value in enumerate(shown) if value == SUPPRESSED]
    assert len(hidden) != 1
    line = [(list(range(len(values))), len(values))]
    for k, (low, high) in zip(hidden, _interval(line, true, hidden, lowest), strict=True):
        assert low <= true[k] <= high
        assert high - low >= 1


def test_a_list_with_two_ones_hides_a_third_count_in_the_stricter_mode() -> None:
    assert suppress_list([1, 1, 100]) == SuppressedList((SUPPRESSED, SUPPRESSED, 100), 102)
    assert suppress_list([1, 1, 100], AT_LEAST_ONE) == SuppressedList(
        (SUPPRESSED, SUPPRESSED, SUPPRESSED), 102
    )
    assert suppress_list([258, 17, 0]) == SuppressedList((258, 17, 0), 275)
    assert suppress_list([]) == SuppressedList((), 0)


def test_negative_or_ragged_input_is_refused() -> None:
    for bad in ([[1, -1]], [[1, 2], [3]], [[1.5]]):
        try:
            suppress_table(bad)  # type: ignore[arg-type]
        except ValueError:
            continue
        raise AssertionError(bad)
