"""Small-number suppression for tables that leave the team, with secondary suppression.

A count from 1 to limit − 1 (the limit is `HJ_EQUITY_SMALL_NUMBER`, 5 by default) is not shown
("primary" suppression). A table's row and column totals are shown beside its cells, and
every row and column is an equation (its cells add up to its total), so hiding one cell is not
enough: it could be worked out by subtraction. Secondary suppression hides further cells until
no hidden value follows from the shown ones:

1. The totals are treated as cells of the table (an extra row and column, with the grand total
   in the corner), so a small total is hidden too, and hiding a total counts.
2. Any row or column with exactly one hidden value gets a second: the smallest shown non-zero
   cell, else its total, else a zero cell.
3. A hidden value is still worked out when it is the only link between two groups of hidden
   values (a "bridge": summing the equations on one side gives it). In a table with totals a
   hidden value cannot be worked out exactly when, and only when, it lies on a cycle of hidden
   values through rows and columns; so each bridge gets a partner cell that closes a cycle,
   again the smallest shown cell that does.

Repeat both until nothing changes. The tests check the result with exact linear algebra: no
hidden value is determined by the shown ones. Bounds from counts being non-negative can still
narrow a hidden value (a hidden 3 beside a hidden 4 in a row totalling 7 lies between 0 and
7); that is the usual standard for published health statistics, and is written down in
docs/equity-methods.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from django.conf import settings

SECONDARY_TEXT = "not shown (protects a small number)"


def small_number_limit() -> int:
    return int(getattr(settings, "HJ_EQUITY_SMALL_NUMBER", 5))


def primary_text(limit: int | None = None) -> str:
    return f"fewer than {limit or small_number_limit()}"


def is_small(n: int, limit: int | None = None) -> bool:
    return 0 < n < (limit or small_number_limit())


@dataclass(frozen=True)
class Cell:
    """A count as shown: its value, or words in its place."""

    value: int
    primary: bool = False  # small itself
    secondary: bool = False  # hidden so that a small one cannot be worked out
    limit: int = 5

    @property
    def hidden(self) -> bool:
        return self.primary or self.secondary

    @property
    def shown(self) -> int | None:
        return None if self.hidden else self.value

    @property
    def text(self) -> str:
        if self.primary:
            return primary_text(self.limit)
        if self.secondary:
            return SECONDARY_TEXT
        return f"{self.value:,}"

    @property
    def csv(self) -> str:
        """What an export writes: the number, or a marker a spreadsheet will not add up."""
        if self.primary:
            return f"<{self.limit}"
        if self.secondary:
            return "*"
        return str(self.value)


@dataclass(frozen=True)
class SuppressedTable:
    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell]
    grand_total: Cell


Position = tuple[int, int]


def _lines(rows: int, cols: int) -> list[tuple[list[Position], Position]]:
    """Each equation of the augmented table: (its parts, its whole)."""
    lines = [([(r, c) for c in range(cols)], (r, cols)) for r in range(rows + 1)]
    lines += [([(r, c) for r in range(rows)], (rows, c)) for c in range(cols + 1)]
    return lines


def _connected(edges: set[Position], start: Position, goal: Position) -> bool:
    """Is row-vertex start[0] joined to column-vertex goal[1] by hidden edges?"""
    seen_rows, seen_cols = {start[0]}, set()
    frontier: list[tuple[str, int]] = [("r", start[0])]
    while frontier:
        kind, index = frontier.pop()
        for r, c in edges:
            if kind == "r" and r == index and c not in seen_cols:
                if c == goal[1]:
                    return True
                seen_cols.add(c)
                frontier.append(("c", c))
            elif kind == "c" and c == index and r not in seen_rows:
                seen_rows.add(r)
                frontier.append(("r", r))
    return False


def _side(edges: set[Position], row: int) -> tuple[set[int], set[int]]:
    """The rows and columns reachable from `row` over `edges`."""
    rows, cols = {row}, set()
    changed = True
    while changed:
        changed = False
        for r, c in edges:
            if r in rows and c not in cols:
                cols.add(c)
                changed = True
            if c in cols and r not in rows:
                rows.add(r)
                changed = True
    return rows, cols


def _preference(grid: list[list[int]], pos: Position, rows: int, cols: int) -> tuple[int, int]:
    """Smaller is better: a non-zero inner cell, then a total, then a zero; smallest value."""
    r, c = pos
    value = grid[r][c]
    is_total = r == rows or c == cols
    rank = 2 if value == 0 else (1 if is_total else 0)
    return rank, value


def hidden_positions(counts: Sequence[Sequence[int]], limit: int | None = None) -> set[Position]:
    """Which positions of the table augmented with its totals are hidden."""
    limit = limit or small_number_limit()
    rows = len(counts)
    cols = max((len(row) for row in counts), default=0)
    grid = [list(row) + [0] * (cols - len(row)) for row in counts]
    for row in grid:
        row.append(sum(row))
    grid.append([sum(grid[r][c] for r in range(rows)) for c in range(cols + 1)])
    hidden = {
        (r, c) for r in range(rows + 1) for c in range(cols + 1) if is_small(grid[r][c], limit)
    }
    lines = _lines(rows, cols)
    every = [(r, c) for r in range(rows + 1) for c in range(cols + 1)]

    def best(candidates: list[Position]) -> Position | None:
        shown = [p for p in candidates if p not in hidden]
        return min(shown, key=lambda p: _preference(grid, p, rows, cols)) if shown else None

    changed = True
    while changed:
        changed = False
        for parts, whole in lines:
            members = [*parts, whole]
            if sum(p in hidden for p in members) == 1:
                choice = best(members)
                if choice is not None:
                    hidden.add(choice)
                    changed = True
        if changed:
            continue
        # Edges are (row, column) with the totals' row and column as vertices rows and cols.
        for edge in sorted(hidden):
            rest = hidden - {edge}
            if _connected(rest, edge, edge):
                continue
            side_rows, side_cols = _side(rest, edge[0])
            candidates = [
                (r, c) for r, c in every if (r in side_rows) != (c in side_cols) and (r, c) != edge
            ]
            choice = best(candidates)
            if choice is not None:
                hidden.add(choice)
                changed = True
                break
    return hidden


def suppress_table(counts: Sequence[Sequence[int]], limit: int | None = None) -> SuppressedTable:
    """A table of counts with its row, column and grand totals, suppressed as above."""
    limit = limit or small_number_limit()
    rows = len(counts)
    cols = max((len(row) for row in counts), default=0)
    grid = [list(row) + [0] * (cols - len(row)) for row in counts]
    hidden = hidden_positions(grid, limit)

    def cell(value: int, pos: Position) -> Cell:
        small = is_small(value, limit)
        return Cell(value, primary=small, secondary=pos in hidden and not small, limit=limit)

    row_sums = [sum(row) for row in grid]
    col_sums = [sum(grid[r][c] for r in range(rows)) for c in range(cols)]
    return SuppressedTable(
        cells=[[cell(grid[r][c], (r, c)) for c in range(cols)] for r in range(rows)],
        row_totals=[cell(row_sums[r], (r, cols)) for r in range(rows)],
        column_totals=[cell(col_sums[c], (rows, c)) for c in range(cols)],
        grand_total=cell(sum(row_sums), (rows, cols)),
    )


@dataclass(frozen=True)
class SuppressedBreakdown:
    cells: list[Cell]
    total: Cell


def suppress_breakdown(counts: Sequence[int], limit: int | None = None) -> SuppressedBreakdown:
    """The parts of one total shown beside them: one equation, so a lone hidden value (a part
    or the total) gets a partner, the smallest shown non-zero part (else the total)."""
    limit = limit or small_number_limit()
    values = [*counts, sum(counts)]
    hidden = {i for i, n in enumerate(values) if is_small(n, limit)}
    if len(hidden) == 1:
        shown = [i for i in range(len(counts)) if i not in hidden and values[i]]
        if shown:
            hidden.add(min(shown, key=lambda i: values[i]))
        elif len(counts) not in hidden:
            hidden.add(len(counts))
    cells = [
        Cell(
            n,
            primary=is_small(n, limit),
            secondary=i in hidden and not is_small(n, limit),
            limit=limit,
        )
        for i, n in enumerate(values)
    ]
    return SuppressedBreakdown(cells=cells[:-1], total=cells[-1])


# --- Any set of totals: counts linked by equations (a hierarchy of groups, say) -------------


def _rank(rows: list[list[Fraction]]) -> int:
    matrix = [row[:] for row in rows]
    rank = 0
    width = len(matrix[0]) if matrix else 0
    for col in range(width):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][col] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        for r in range(len(matrix)):
            if r != rank and matrix[r][col] != 0:
                factor = matrix[r][col] / matrix[rank][col]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[rank], strict=True)]
        rank += 1
    return rank


Equation = tuple[Sequence[int], int]  # (positions of the parts, position of the whole)


def determined_positions(equations: Sequence[Equation], hidden: set[int]) -> list[int]:
    """Hidden positions whose value follows exactly from the shown ones and the equations."""
    order = sorted(hidden)
    if not order:
        return []
    index = {p: i for i, p in enumerate(order)}
    matrix: list[list[Fraction]] = []
    for parts, whole in equations:
        row = [Fraction(0)] * len(order)
        for p in parts:
            if p in index:
                row[index[p]] += 1
        if whole in index:
            row[index[whole]] -= 1
        if any(row):
            matrix.append(row)
    if not matrix:
        return []
    base = _rank(matrix)
    found = []
    for p in order:
        unit = [Fraction(int(i == index[p])) for i in range(len(order))]
        if _rank([*matrix, unit]) == base:
            found.append(p)
    return found


def hidden_in_system(
    values: Sequence[int], equations: Sequence[Equation], limit: int | None = None
) -> set[int]:
    """Which of `values` to hide: the small ones, then partners until no hidden value can be
    worked out from the shown ones (checked exactly, by linear algebra over the equations)."""
    limit = limit or small_number_limit()
    hidden = {i for i, n in enumerate(values) if is_small(n, limit)}
    wholes = {whole for _, whole in equations}

    def preference(i: int) -> tuple[int, int]:
        return (2 if values[i] == 0 else (1 if i in wholes else 0), values[i])

    def partner(candidates: Iterable[int]) -> int | None:
        shown = [i for i in candidates if i not in hidden]
        return min(shown, key=preference) if shown else None

    while True:
        lone = next(
            (
                (parts, whole)
                for parts, whole in equations
                if sum(p in hidden for p in [*parts, whole]) == 1
            ),
            None,
        )
        if lone is not None:
            choice = partner([*lone[0], lone[1]])
            if choice is not None:
                hidden.add(choice)
                continue
        worked_out = determined_positions(equations, hidden)
        if not worked_out:
            return hidden
        target = worked_out[0]
        near = [
            i
            for parts, whole in equations
            if target in parts or target == whole
            for i in [*parts, whole]
        ]
        choice = partner(near) if partner(near) is not None else partner(range(len(values)))
        if choice is None:
            return hidden
        hidden.add(choice)


def suppress_system(
    values: Sequence[int], equations: Sequence[Equation], limit: int | None = None
) -> list[Cell]:
    limit = limit or small_number_limit()
    hidden = hidden_in_system(values, equations, limit)
    return [
        Cell(
            n,
            primary=is_small(n, limit),
            secondary=i in hidden and not is_small(n, limit),
            limit=limit,
        )
        for i, n in enumerate(values)
    ]
