"""Small-number suppression for figures shown outside the owning council.

A two-way table is published with its row totals, column totals and grand total. Every
count from 1 to 4 is shown as "c" (primary suppression); a true zero is shown as 0, as in
DfE's statistics (it says nothing about any child). Then more cells are hidden (secondary
suppression) until no hidden cell can be worked out from what is published.

Why the check is a cycle search: with the totals published, the hidden cells satisfy one
linear equation per row and per column. Give the cells in the totals row and column the
sign -1 and every row and column sums to zero; the hidden cells are edges of a graph
whose vertices are the rows and columns. A change to the hidden values that keeps every
published figure true is a flow around a cycle of that graph (+1, -1, +1, ... alternately).
A hidden cell is pinned to one value when no such cycle through it is possible. Because
the reader knows a hidden count is at least 1 (zeros are shown), a step along a cycle must
leave every cell it lowers at 1 or more; so a cell is safe when a cycle through it exists
whose lowered cells all hold 2 or more (or whose step raises them). ``pinned`` finds the
cells with no such cycle; ``protect`` hides the smallest neighbouring figure next to each
until there are none.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

SUPPRESSED = "c"
THRESHOLD = 5  # counts 1..THRESHOLD-1 are hidden


@dataclass
class Suppressed:
    """A table with totals and a mask of hidden cells, (R+1) x (C+1): the last row holds the
    column totals, the last column the row totals, the corner the grand total."""

    values: list[list[int]]
    hidden: list[list[bool]]

    def published(self) -> list[list[int | str]]:
        return [
            [SUPPRESSED if h else v for v, h in zip(row, mask, strict=True)]
            for row, mask in zip(self.values, self.hidden, strict=True)
        ]


def with_totals(cells: Sequence[Sequence[int]]) -> list[list[int]]:
    rows = [list(r) for r in cells]
    width = len(rows[0]) if rows else 0
    table = [[*r, sum(r)] for r in rows]
    table.append([sum(r[j] for r in rows) for j in range(width)] + [sum(map(sum, rows))])
    return table


def _sign(i: int, j: int, last_row: int, last_col: int) -> int:
    return -1 if (i == last_row) != (j == last_col) else 1


Vertex = tuple[str, int]
Edge = tuple[Vertex, tuple[int, int]]


def _cell_edges(values: list[list[int]], i: int, j: int) -> list[tuple[Vertex, Edge]]:
    """The edges of hidden cell (i, j): (from, (to, cell))."""
    last_row, last_col = len(values) - 1, len(values[0]) - 1
    positive = _sign(i, j, last_row, last_col) == 1
    out: list[tuple[Vertex, Edge]] = []
    # Raising a count is always possible; lowering one needs it to stay >= 1.
    if positive or values[i][j] >= 2:
        out.append((("r", i), (("c", j), (i, j))))
    if not positive or values[i][j] >= 2:
        out.append((("c", j), (("r", i), (i, j))))
    return out


def _graph(values: list[list[int]], hidden: list[list[bool]]) -> dict[Vertex, list[Edge]]:
    """Directed graph: vertex ("r", i) / ("c", j). A hidden cell whose signed value can go
    up is an edge row -> column; one that can go down, column -> row. A cycle alternates
    up and down, so every row and column keeps its sum."""
    out: dict[Vertex, list[Edge]] = {}
    for i, row in enumerate(hidden):
        for j, is_hidden in enumerate(row):
            if is_hidden:
                for vertex, edge in _cell_edges(values, i, j):
                    out.setdefault(vertex, []).append(edge)
    return out


def _reachable(
    graph: dict[Any, Any], start: tuple[str, int], goal: tuple[str, int], skip: tuple[Any, ...]
) -> bool:
    seen = {start}
    todo = deque([start])
    while todo:
        vertex = todo.popleft()
        if vertex == goal:
            return True
        for nxt, cell in graph.get(vertex, []):
            if cell != skip and nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def _free(graph: dict[Any, Any], i: int, j: int) -> bool:
    """Is hidden cell (i, j) on a cycle, so that it can take another value?"""
    up = any(cell == (i, j) for _n, cell in graph.get(("r", i), []))
    down = any(cell == (i, j) for _n, cell in graph.get(("c", j), []))
    return (up and _reachable(graph, ("c", j), ("r", i), (i, j))) or (
        down and _reachable(graph, ("r", i), ("c", j), (i, j))
    )


def pinned(values: list[list[int]], hidden: list[list[bool]]) -> list[tuple[int, int]]:
    """Hidden cells that a reader could work out exactly (see the module docstring)."""
    graph = _graph(values, hidden)
    return [
        (i, j)
        for i, row in enumerate(hidden)
        for j, is_hidden in enumerate(row)
        if is_hidden and not _free(graph, i, j)
    ]


Cell = tuple[int, int]


def protect(cells: Sequence[Sequence[int]]) -> Suppressed:
    """Primary and secondary suppression of a table (without totals: they are added)."""
    values = with_totals(cells)
    hidden = [[0 < v < THRESHOLD for v in row] for row in values]
    # Hiding more cells only adds edges, so a cell found free stays free: each round checks
    # only the cells not yet known to be free, in order, up to the first pinned one.
    free: set[Cell] = set()
    while True:
        graph = _graph(values, hidden)
        stuck = _first_pinned(graph, hidden, free)
        if stuck is None:
            return Suppressed(values, hidden)
        choice = _to_hide(values, hidden, graph, stuck)
        if choice is None:
            return Suppressed(values, hidden)  # everything non-zero is already hidden
        hidden[choice[0]][choice[1]] = True


def _first_pinned(
    graph: dict[Vertex, list[Edge]], hidden: list[list[bool]], free: set[Cell]
) -> Cell | None:
    """The first hidden cell, in order, not on a cycle; those found free join ``free``."""
    n_rows, n_cols = len(hidden), len(hidden[0])
    for cell in ((ii, jj) for ii in range(n_rows) for jj in range(n_cols)):
        if hidden[cell[0]][cell[1]] and cell not in free:
            if _free(graph, *cell):
                free.add(cell)
            else:
                return cell
    return None


def _cost(values: list[list[int]], cell: Cell) -> tuple[bool, int]:
    """Lowest counts first, interior cells before totals."""
    ii, jj = cell
    return (ii == len(values) - 1 or jj == len(values[0]) - 1, values[ii][jj])


def _to_hide(
    values: list[list[int]],
    hidden: list[list[bool]],
    graph: dict[Vertex, list[Edge]],
    stuck: Cell,
) -> Cell | None:
    """The figure to hide next to free the stuck cell; None if every non-zero figure is
    already hidden."""
    n_rows, n_cols = len(values), len(values[0])
    i, j = stuck
    rows_used = {ii for ii in range(n_rows) if any(hidden[ii])}
    cols_used = {jj for jj in range(n_cols) if any(hidden[ii][jj] for ii in range(n_rows))}
    shown = [
        (ii, jj)
        for ii in range(n_rows)
        for jj in range(n_cols)
        if not hidden[ii][jj] and values[ii][jj] > 0
    ]
    if not shown:
        return None

    def cost(cell: Cell) -> tuple[bool, int]:
        return _cost(values, cell)

    # The cheapest single figure whose hiding frees the stuck cell (lowest counts,
    # interior before totals); failing that, the cheapest in the stuck cell's lines.
    for cell in sorted((c for c in shown if c[0] in rows_used and c[1] in cols_used), key=cost):
        edges = _cell_edges(values, *cell)  # hidden for a moment
        for vertex, edge in edges:
            graph.setdefault(vertex, []).append(edge)
        freed = _free(graph, i, j)
        for vertex, _edge in reversed(edges):
            graph[vertex].pop()
        if freed:
            return cell
    beside = [c for c in shown if c[0] == i or c[1] == j]
    return min(beside or shown, key=cost)


def suppress_list(values: Sequence[int]) -> list[int | str]:
    """A one-way list with a published total: hide 1..4, and a second figure if one
    figure alone would be hidden."""
    protected = protect([list(values)])
    return protected.published()[0][:-1]
