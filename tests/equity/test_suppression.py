"""Small numbers are hidden, and no hidden number can be worked out from what is shown."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthjustice.equity.suppression import (
    SECONDARY_TEXT,
    determined_positions,
    hidden_positions,
    suppress_breakdown,
    suppress_system,
    suppress_table,
)


def _rank(rows: list[list[Fraction]]) -> int:
    matrix = [row[:] for row in rows]
    rank, width = 0, len(matrix[0]) if matrix else 0
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


def determined(rows: int, cols: int, hidden: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """Hidden positions of the table with totals whose value follows from the shown ones."""
    order = sorted(hidden)
    index = {p: i for i, p in enumerate(order)}
    equations = []
    for r in range(rows + 1):
        members = [((r, c), 1) for c in range(cols)] + [((r, cols), -1)]
        equations.append(members)
    for c in range(cols + 1):
        members = [((r, c), 1) for r in range(rows)] + [((rows, c), -1)]
        equations.append(members)
    matrix = []
    for members in equations:
        row = [Fraction(0)] * len(order)
        for pos, sign in members:
            if pos in index:
                row[index[pos]] += sign
        matrix.append(row)
    base = _rank(matrix) if order else 0
    found = []
    for pos in order:
        unit = [Fraction(int(i == index[pos])) for i in range(len(order))]
        if _rank([*matrix, unit]) == base:
            found.append(pos)
    return found


def _check(counts: list[list[int]], limit: int = 5) -> set[tuple[int, int]]:
    rows, cols = len(counts), len(counts[0])
    hidden = hidden_positions(counts, limit)
    table = suppress_table(counts, limit)
    for r in range(rows):
        for c in range(cols):
            n = counts[r][c]
            assert table.cells[r][c].hidden == ((r, c) in hidden)
            if 0 < n < limit:
                assert table.cells[r][c].primary
            if not table.cells[r][c].hidden:
                assert table.cells[r][c].shown == n
    assert not determined(rows, cols, hidden), (counts, sorted(hidden))
    return hidden


def test_one_small_cell_takes_partners_in_its_row_and_column():
    hidden = _check([[3, 40, 50], [20, 30, 60], [25, 35, 45]])
    assert (0, 0) in hidden
    assert sum(1 for r, c in hidden if r == 0 and c < 3) >= 2
    assert sum(1 for r, c in hidden if c == 0 and r < 3) >= 2


def test_a_lone_small_row_total_is_protected():
    # The row total (1 + 2 = 3) is small, and both cells are small.
    _check([[1, 2], [40, 50]])


def test_dumbbell_two_groups_joined_by_one_cell():
    # Two blocks of small cells joined through one row: the joining cell would be a bridge.
    _check(
        [
            [2, 3, 50, 60],
            [4, 2, 70, 80],
            [90, 1, 3, 100],
            [110, 120, 2, 4],
        ]
    )


def test_small_cells_in_one_column_and_zeros_around_them():
    _check([[0, 3], [0, 2], [0, 40]])


def test_a_table_of_zeros_hides_nothing():
    assert not _check([[0, 0], [0, 0]])


def test_the_secondary_words_differ_from_the_primary():
    table = suppress_table([[3, 40], [20, 30]], 5)
    texts = {cell.text for row in table.cells for cell in row}
    assert "fewer than 5" in texts and SECONDARY_TEXT in texts
    assert table.cells[0][0].csv == "<5"


def test_the_limit_is_configurable():
    table = suppress_table([[7, 40], [20, 30]], 10)
    assert table.cells[0][0].primary and table.cells[0][0].text == "fewer than 10"


def test_setting_changes_the_default_limit(settings):
    settings.HJ_EQUITY_SMALL_NUMBER = 3
    assert not suppress_table([[3, 40], [20, 30]]).cells[0][0].hidden


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda cols: st.lists(
            st.lists(
                st.sampled_from([0, 1, 2, 3, 4, 5, 6, 9, 30, 200]), min_size=cols, max_size=cols
            ),
            min_size=1,
            max_size=5,
        )
    )
)
def test_no_hidden_cell_of_any_table_can_be_worked_out(counts):
    _check(counts)


@pytest.mark.parametrize(
    ("counts", "hidden"),
    [
        ([3, 40, 50], {0, 1}),  # a lone small part takes the smallest other part
        ([3, 0, 0], {0, 3}),  # no other non-zero part: the total goes too
        ([3, 4, 50], {0, 1}),  # two small parts protect each other
        ([1, 2, 0], {0, 1, 3}),  # a small total
        ([0, 0, 60], set()),
    ],
)
def test_breakdown_of_one_total(counts, hidden):
    result = suppress_breakdown(counts, 5)
    cells = [*result.cells, result.total]
    assert {i for i, cell in enumerate(cells) if cell.hidden} == hidden


def _hierarchy(groups: list[list[int]], extras: list[int]):
    """Values and equations of categories within groups, groups (and extras) within a total."""
    values, equations, group_positions = [], [], []
    for parts in groups:
        start = len(values)
        values.extend(parts)
        values.append(sum(parts))
        equations.append((list(range(start, start + len(parts))), len(values) - 1))
        group_positions.append(len(values) - 1)
    extra_positions = list(range(len(values), len(values) + len(extras)))
    values.extend(extras)
    values.append(sum(values[p] for p in group_positions) + sum(extras))
    equations.append(([*group_positions, *extra_positions], len(values) - 1))
    return values, equations


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from([0, 1, 2, 3, 4, 5, 8, 40]), min_size=1, max_size=4),
        min_size=1,
        max_size=5,
    ),
    st.lists(st.sampled_from([0, 1, 3, 6, 50]), max_size=2),
)
def test_no_hidden_value_of_a_hierarchy_can_be_worked_out(groups, extras):
    values, equations = _hierarchy(groups, extras)
    cells = suppress_system(values, equations, 5)
    hidden = {i for i, cell in enumerate(cells) if cell.hidden}
    assert all(cells[i].hidden for i, n in enumerate(values) if 0 < n < 5)
    assert not determined_positions(equations, hidden)


def test_a_small_category_is_protected_from_its_group_total_and_the_grand_total():
    # Black: Caribbean 3, African 30, Other 20; White British 300; not stated 2.
    values, equations = _hierarchy([[3, 30, 20], [300]], [2])
    cells = suppress_system(values, equations, 5)
    assert cells[0].primary and cells[-2].primary
    assert not determined_positions(equations, {i for i, c in enumerate(cells) if c.hidden})
