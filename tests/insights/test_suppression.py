"""No suppressed cell can be worked out from the published figures.

The reader's knowledge: every shown figure, the row, column and grand totals (or "c"),
and that a hidden count is at least 1 (a zero is shown as 0). The hidden counts are
unknowns x >= 1, and each row and each column of the published table gives one equation:
its cells add up to its total. A hidden cell can be worked out when every table of whole
numbers that fits gives it the same value.

The check (``ranges``) is exact, and fast enough to run on many tables: for each hidden
cell it finds the least and the greatest value the cell can take, by linear programming
(a small simplex, below). Why linear programming answers a question about whole numbers:
each unknown is in exactly two equations, its row's and its column's. Negate the equation
of the totals row and that of the totals column, and every unknown has coefficients of the
same sign in its two equations, one row equation and one column equation: up to the signs
of whole columns, the incidence matrix of a bipartite graph. Such a matrix is totally
unimodular, so every vertex of the region is a table of whole numbers: the least and the
greatest values are reached by whole-number tables, and so is every value between (fixing
the cell adds a unit row, which keeps the matrix totally unimodular). A cell is safe
exactly when its least and greatest values differ, or it has no greatest.

The simplex checks that claim as it goes: with a totally unimodular matrix every pivot is
1 or -1, so it runs on whole numbers and stops with an error on any other pivot. A brute
force that lists every solution of small tables checks the checker."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from homeward.insights import suppression

C = suppression.SUPPRESSED
Cell = tuple[int, int]


class Unimodular(AssertionError):
    """A pivot other than 1 or -1: the matrix is not what the argument above says."""


class Infeasible(AssertionError):
    """No table fits what is published (the true one always should)."""


def _pivot(t: list[list[int]], basis: list[int], r: int, col: int) -> None:
    p = t[r][col]
    if p not in (1, -1):
        raise Unimodular(f"pivot {p}")
    t[r] = [v * p for v in t[r]]  # dividing by 1 or -1
    for i, row in enumerate(t):
        f = row[col]
        if i != r and f:
            t[i] = [v - f * w for v, w in zip(row, t[r], strict=True)]
    basis[r] = col


def _optimise(t: list[list[int]], basis: list[int], cost: list[int], columns: range) -> int | None:
    """Maximise cost . y from a feasible basis (Bland's rule: no cycling). None when
    unbounded. Changes ``t`` and ``basis``."""
    while True:
        entering = None
        for j in columns:
            if j in basis:
                continue
            reduced = cost[j] - sum(cost[basis[i]] * t[i][j] for i in range(len(t)))
            if reduced > 0:
                entering = j
                break
        if entering is None:
            return sum(cost[basis[i]] * t[i][-1] for i in range(len(t)))
        best: tuple[tuple[float, int], int] | None = None
        for i, row in enumerate(t):
            if row[entering] > 0:
                key = (row[-1] / row[entering], basis[i])
                if best is None or key < best[0]:
                    best = (key, i)
        if best is None:
            return None
        _pivot(t, basis, best[1], entering)


def _feasible(a: list[list[int]], b: list[int]) -> tuple[list[list[int]], list[int]]:
    """Phase one: a feasible basis of a y = b, y >= 0 (the tableau without artificials)."""
    m, n = len(a), len(a[0]) if a else 0
    t = []
    for i in range(m):
        sign = -1 if b[i] < 0 else 1
        t.append([sign * v for v in a[i]] + [int(k == i) for k in range(m)] + [sign * b[i]])
    basis = [n + i for i in range(m)]
    if _optimise(t, basis, [0] * n + [-1] * m, range(n + m)) != 0:
        raise Infeasible("no table fits the published figures")
    for i in reversed(range(len(t))):  # drive the artificial variables out
        if basis[i] >= n:
            col = next((j for j in range(n) if t[i][j]), None)
            if col is None:
                del t[i], basis[i]  # a redundant equation
            else:
                _pivot(t, basis, i, col)
    return [row[:n] + row[-1:] for row in t], basis


def ranges(published: Sequence[Sequence[int | str]]) -> dict[Cell, tuple[int, int | None]]:
    """For each hidden cell, the least and greatest value it can take (None: no limit)."""
    n_rows, n_cols = len(published), len(published[0])
    hidden = [(i, j) for i in range(n_rows) for j in range(n_cols) if published[i][j] == C]
    index = {cell: k for k, cell in enumerate(hidden)}
    lines = [[(i, j) for j in range(n_cols)] for i in range(n_rows)]
    lines += [[(i, j) for i in range(n_rows)] for j in range(n_cols)]
    a: list[list[int]] = []
    b: list[int] = []
    for line in lines:
        row, rhs = [0] * len(hidden), 0
        for position, cell in enumerate(line):
            coefficient = -1 if position == len(line) - 1 else 1  # the total
            value = published[cell[0]][cell[1]]
            if value == C:
                row[index[cell]] += coefficient
                rhs -= coefficient  # x = 1 + y: every hidden count is at least 1
            else:
                rhs -= coefficient * int(value)
        if any(row):
            a.append(row)
            b.append(rhs)
        elif rhs:
            raise Infeasible(f"a line of shown figures does not add up: {line}")
    if not hidden:
        return {}
    t, basis = _feasible(a, b)
    out: dict[Cell, tuple[int, int | None]] = {}
    n = len(hidden)
    for cell, k in index.items():
        unit = [int(j == k) for j in range(n)]
        top = _optimise([r[:] for r in t], basis[:], unit, range(n))
        low = _optimise([r[:] for r in t], basis[:], [-u for u in unit], range(n))
        assert low is not None  # y >= 0 bounds it below
        out[cell] = (1 - low, None if top is None else 1 + top)
    return out


def assert_nothing_derivable(cells: list[list[int]]) -> None:
    result = suppression.protect(cells)
    published = result.published()
    for cell, (low, high) in ranges(published).items():
        true = result.values[cell[0]][cell[1]]
        assert low <= true
        assert high is None or true <= high
        assert high is None or low < high, f"cell {cell} can be worked out: {published}"
    for i, row in enumerate(result.values):  # and every count 1..4 is hidden
        for j, v in enumerate(row):
            if 0 < v < suppression.THRESHOLD:
                assert published[i][j] == C


# --- the checker, checked ---------------------------------------------------------------


def brute_force(published: list[list[int | str]], limit: int) -> dict[Cell, set[int]]:
    """Every value each hidden cell takes among all tables that fit the published figures,
    listing the hidden inner cells (1..limit each); the totals follow from them."""
    n_rows, n_cols = len(published), len(published[0])
    inner = [(i, j) for i in range(n_rows - 1) for j in range(n_cols - 1) if published[i][j] == C]
    seen: dict[Cell, set[int]] = {
        (i, j): set() for i in range(n_rows) for j in range(n_cols) if published[i][j] == C
    }
    for values in itertools.product(range(1, limit + 1), repeat=len(inner)):
        cells = [[0 if v == C else int(v) for v in row[:-1]] for row in published[:-1]]
        for (i, j), value in zip(inner, values, strict=True):
            cells[i][j] = value
        table = suppression.with_totals(cells)
        fits = all(
            (v >= 1) if published[i][j] == C else v == published[i][j]
            for i, row in enumerate(table)
            for j, v in enumerate(row)
        )
        if fits:
            for cell in seen:
                seen[cell].add(table[cell[0]][cell[1]])
    return seen


def test_the_checker_finds_a_cell_that_can_be_worked_out() -> None:
    """Hiding only the 3 in (3, 10 | 13): it is 13 - 10."""
    assert ranges([[C, 10, 13], [8, 9, 17], [11, 19, 30]])[(0, 0)] == (3, 3)
    # Two hidden cells in one row and nowhere else in their columns: both pinned.
    pinned = ranges([[C, C, 13], [8, 9, 17], [11, 19, 30]])
    assert pinned == {(0, 0): (3, 3), (0, 1): (10, 10)}


def test_the_checker_knows_hidden_counts_are_at_least_one() -> None:
    """Two hidden cells summing to 2 are each 1, though a cycle runs through them."""
    table: list[list[int | str]] = [[C, C, 9, 11], [C, C, 8, 20], [7, 7, 17, 31]]
    assert ranges(table)[(0, 0)] == (1, 1)


def test_the_checker_sees_an_unknown_grand_total_leaves_cells_free() -> None:
    table: list[list[int | str]] = [[C, 6, C], [5, 7, 12], [C, 13, C]]
    assert ranges(table)[(0, 0)] == (1, None)


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 2).flatmap(
        lambda rows: st.integers(1, 2).flatmap(
            lambda cols: st.tuples(
                st.lists(
                    st.lists(st.integers(0, 3), min_size=cols, max_size=cols),
                    min_size=rows,
                    max_size=rows,
                ),
                st.lists(st.booleans(), min_size=(rows + 1) * cols + rows, max_size=12),
            )
        )
    )
)
def test_the_checker_agrees_with_listing_every_table(
    data: tuple[list[list[int]], list[bool]],
) -> None:
    """Small tables, any cells hidden but the grand total (so a count never exceeds it and
    listing is complete): the ranges are exactly the values found by listing."""
    cells, mask = data
    table = suppression.with_totals(cells)
    positions = [
        (i, j) for i in range(len(table)) for j in range(len(table[0])) if table[i][j] > 0
    ][:-1]  # never the grand total, which is last
    published: list[list[int | str]] = [list(row) for row in table]
    for (i, j), hide in zip(positions, mask, strict=False):
        if hide:
            published[i][j] = C
    grand = table[-1][-1]
    listed = brute_force(published, max(grand, 1))
    for cell, (low, high) in ranges(published).items():
        assert high is not None
        assert listed[cell] == set(range(low, high + 1)), (published, cell)


# --- suppression --------------------------------------------------------------------------


def test_one_small_cell_takes_a_second_with_it() -> None:
    """Row (3, 10, 12): 3 is hidden; alone it would be 25 - 10 - 12, so 10 goes too; then
    the columns need a second row's cells hidden as well."""
    cells = [[3, 10, 12], [8, 9, 7]]
    published = suppression.protect(cells).published()
    assert published[0][0] == C
    assert sum(v == C for v in published[0]) >= 2
    assert_nothing_derivable(cells)


def test_interval_disclosure_is_prevented() -> None:
    """Two hidden 1s in a row summing to 2 would each be known to be 1: more is hidden."""
    assert_nothing_derivable([[1, 1, 9], [6, 7, 8]])


def test_small_totals_are_hidden_too() -> None:
    """A row totalling 4 is hidden with its cells."""
    result = suppression.protect([[2, 2], [10, 12]])
    assert result.published()[0][2] == C
    assert_nothing_derivable([[2, 2], [10, 12]])


def test_tables_without_small_numbers_are_untouched() -> None:
    assert suppression.protect([[5, 6], [7, 0]]).published() == [
        [5, 6, 11], [7, 0, 7], [12, 6, 18],
    ]  # fmt: skip


def test_a_list_with_its_total() -> None:
    """(3, 20, 30): 3 hidden, and 20 with it, or 3 = 53 - 20 - 30."""
    shown = suppression.suppress_list([3, 20, 30])
    assert shown.count(C) >= 2
    assert shown[0] == C
    assert_nothing_derivable([[3, 20, 30]])


@pytest.mark.parametrize(
    "cells",
    [
        [[1]],
        [[4, 0], [0, 4]],
        [[1, 2, 3, 4]],
        [[1], [2], [3], [40]],
        [[0, 0, 1], [0, 0, 0], [9, 9, 9]],
        [[3, 3, 3], [3, 3, 3], [3, 3, 3]],
        [[1, 50, 50], [50, 1, 50], [50, 50, 1]],
    ],
)
def test_awkward_tables(cells: list[list[int]]) -> None:
    assert_nothing_derivable(cells)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda rows: st.integers(1, 4).flatmap(
            lambda cols: st.lists(
                st.lists(
                    st.sampled_from([0, 0, 1, 1, 2, 3, 4, 5, 6, 8, 13, 40]),
                    min_size=cols,
                    max_size=cols,
                ),
                min_size=rows,
                max_size=rows,
            )
        )
    )
)
def test_no_hidden_cell_can_be_derived(cells: list[list[int]]) -> None:
    assert_nothing_derivable(cells)
