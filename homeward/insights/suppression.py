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


def pinned(values: list[list[int]], hidden: list[list[bool]]) -> list[tuple[int, int]]:
    """Hidden cells that a reader could work out exactly (see the module docstring)."""
    n_rows, n_cols = len(values), len(values[0])
    last_row, last_col = n_rows - 1, n_cols - 1
    cells = [(i, j) for i in range(n_rows) for j in range(n_cols) if hidden[i][j]]

    def can_move(i: int, j: int, up: bool) -> bool:
        """Can cell (i, j)'s signed value go up (True) or down by one?"""
        x_goes_up = up == (_sign(i, j, last_row, last_col) == 1)
        return x_goes_up or values[i][j] >= 2

    # Directed graph: vertex ("r", i) / ("c", j). A hidden cell used "up" is an edge
    # row -> column; used "down", an edge column -> row. A cycle alternates up and down.
    out: dict[tuple[str, int], list[tuple[tuple[str, int], tuple[int, int]]]] = {}
    for i, j in cells:
        if can_move(i, j, True):
            out.setdefault(("r", i), []).append((("c", j), (i, j)))
        if can_move(i, j, False):
            out.setdefault(("c", j), []).append((("r", i), (i, j)))

    def reachable(start: tuple[str, int], goal: tuple[str, int], skip: tuple[int, int]) -> bool:
        seen = {start}
        todo = deque([start])
        while todo:
            vertex = todo.popleft()
            if vertex == goal:
                return True
            for nxt, cell in out.get(vertex, []):
                if cell != skip and nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return False

    stuck = []
    for i, j in cells:
        up = can_move(i, j, True) and reachable(("c", j), ("r", i), (i, j))
        down = up or (can_move(i, j, False) and reachable(("r", i), ("c", j), (i, j)))
        if not (up or down):
            stuck.append((i, j))
    return stuck


def protect(cells: Sequence[Sequence[int]]) -> Suppressed:
    """Primary and secondary suppression of a table (without totals: they are added)."""
    values = with_totals(cells)
    n_rows, n_cols = len(values), len(values[0])
    hidden = [[0 < v < THRESHOLD for v in row] for row in values]
    while True:
        stuck = pinned(values, hidden)
        if not stuck:
            return Suppressed(values, hidden)
        i, j = stuck[0]
        # Hide the smallest shown non-zero figure in the same row or column (interior
        # cells before totals), which gives the stuck cell a way round.
        candidates = [(i, jj) for jj in range(n_cols) if jj != j] + [
            (ii, j) for ii in range(n_rows) if ii != i
        ]
        shown = [(ii, jj) for ii, jj in candidates if not hidden[ii][jj] and values[ii][jj] > 0]
        if not shown:
            # Nothing left to hide beside it: hide the whole table but the grand total.
            for ii in range(n_rows):
                for jj in range(n_cols):
                    if values[ii][jj] > 0 and (ii, jj) != (n_rows - 1, n_cols - 1):
                        hidden[ii][jj] = True
            if pinned(values, hidden):
                hidden[n_rows - 1][n_cols - 1] = values[n_rows - 1][n_cols - 1] > 0
            return Suppressed(values, hidden)
        is_total = {(ii, jj): ii == n_rows - 1 or jj == n_cols - 1 for ii, jj in shown}
        choice = min(shown, key=lambda cell: (is_total[cell], values[cell[0]][cell[1]]))
        hidden[choice[0]][choice[1]] = True


def suppress_list(values: Sequence[int]) -> list[int | str]:
    """A one-way list with a published total: hide 1..4, and a second figure if one
    figure alone would be hidden."""
    protected = protect([list(values)])
    return protected.published()[0][:-1]
