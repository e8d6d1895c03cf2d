"""Suppression checked adversarially: for every hidden entry, an attacker who knows the visible
cells and every total must not be able to work out its value.

The check here is independent of the module's graph reasoning: exact linear algebra over the
rationals decides whether each hidden entry is pinned down by the row and column equations,
and for small tables a brute-force search confirms another valid (non-negative) table exists.
"""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import pytest

from skillspassport.core.disclosure import ProtectedTable, protect


def _equations(table: ProtectedTable) -> tuple[list[list[Fraction]], list[tuple[int, int]]]:
    """Rows and columns of the table as equations in the hidden entries (visible moved right)."""
    values = table.values
    rows, columns = len(values), len(values[0])
    hidden = sorted(table.hidden)
    index = {cell: i for i, cell in enumerate(hidden)}
    equations = []
    lines = [[(r, c) for c in range(columns - 1)] + [(r, columns - 1)] for r in range(rows)]
    lines += [[(r, c) for r in range(rows - 1)] + [(rows - 1, c)] for c in range(columns)]
    for line in lines:
        *parts, total = line
        coefficients = [Fraction(0)] * len(hidden)
        for cell in parts:
            if cell in index:
                coefficients[index[cell]] += 1
        if total in index:
            coefficients[index[total]] -= 1
        equations.append(coefficients)
    return equations, hidden


def _rank(matrix: list[list[Fraction]]) -> int:
    m = [row[:] for row in matrix]
    rank = 0
    columns = len(m[0]) if m else 0
    for col in range(columns):
        pivot = next((r for r in range(rank, len(m)) if m[r][col] != 0), None)
        if pivot is None:
            continue
        m[rank], m[pivot] = m[pivot], m[rank]
        for r in range(len(m)):
            if r != rank and m[r][col] != 0:
                factor = m[r][col] / m[rank][col]
                m[r] = [a - factor * b for a, b in zip(m[r], m[rank], strict=True)]
        rank += 1
    return rank


def recoverable(table: ProtectedTable) -> list[tuple[int, int]]:
    equations, hidden = _equations(table)
    if not hidden:
        return []
    full = _rank(equations)
    found = []
    for i, cell in enumerate(hidden):
        without = [row[:i] + row[i + 1 :] for row in equations]
        if not without[0] or _rank(without) < full:
            found.append(cell)
    return found


def alternative_exists(table: ProtectedTable, cell: tuple[int, int]) -> bool:
    """Brute force (small tables only): another non-negative table, same visible cells."""
    values = table.values
    rows, columns = len(values), len(values[0])
    hidden = sorted(table.hidden)
    grand = values[-1][-1]
    for guess in itertools.product(range(grand + 1), repeat=len(hidden)):
        filled = [list(r) for r in values]
        for (r, c), v in zip(hidden, guess, strict=True):
            filled[r][c] = v
        if filled[cell[0]][cell[1]] == values[cell[0]][cell[1]]:
            continue
        ok = all(sum(filled[r][:-1]) == filled[r][-1] for r in range(rows)) and all(
            sum(filled[r][c] for r in range(rows - 1)) == filled[-1][c] for c in range(columns)
        )
        if ok:
            return True
    return False


ADVERSARIAL = [
    [[10, 3, 12]],  # one small cell in a single row
    [[10, 3], [12, 9]],
    [[1, 0], [0, 9]],  # a small cell whose only partners are zeros
    [[2]],  # a 1x1 table: the total equals the cell
    [[4, 4], [4, 4]],  # everything small
    [[7, 0, 0], [0, 8, 0], [0, 0, 2]],  # diagonal: zeros everywhere else
    [[30, 1, 25, 40], [22, 18, 0, 3], [0, 0, 0, 2], [15, 12, 9, 11]],
    [[100, 2, 0], [0, 0, 3], [50, 60, 70]],
]


@pytest.mark.parametrize("counts", ADVERSARIAL)
def test_adversarial_tables_hide_every_small_count_unrecoverably(counts):
    table = protect(counts)
    for r, row in enumerate(table.values):
        for c, value in enumerate(row):
            if 0 < value < 5:
                assert (r, c) in table.hidden, (r, c)
    assert recoverable(table) == []
    assert all(table.values[r][c] > 0 for r, c in table.hidden)


@pytest.mark.parametrize("counts", [[[10, 3], [12, 9]], [[1, 0], [0, 9]], [[2]], [[4, 4], [4, 4]]])
def test_small_tables_have_another_valid_table_for_each_hidden_count(counts):
    table = protect(counts)
    for cell in table.hidden:
        assert alternative_exists(table, cell), cell


def test_random_tables_of_small_counts_are_protected():
    rng = random.Random(2027)
    for _ in range(200):
        rows, columns = rng.randint(1, 6), rng.randint(1, 5)
        counts = [
            [rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 14, 30]) for _c in range(columns)]
            for _r in range(rows)
        ]
        table = protect(counts)
        assert recoverable(table) == [], counts


def test_nothing_is_hidden_when_nothing_is_small():
    table = protect([[10, 20], [30, 40]])
    assert table.hidden == frozenset()
    assert table.shown(2, 2) == 100


def test_the_checker_catches_primary_suppression_alone():
    """Without secondary suppression the lone 3 is total minus the others: recoverable."""
    values = ((10, 3, 12, 25), (10, 3, 12, 25))
    primary_only = ProtectedTable(values, frozenset({(0, 1), (1, 1)}))
    assert set(recoverable(primary_only)) == {(0, 1), (1, 1)}
    assert not alternative_exists(primary_only, (0, 1))


# --- One label set: what a hidden cell is called -------------------------------------------


def test_a_cell_hidden_to_protect_another_is_not_called_fewer_than_5() -> None:
    from skillspassport.core.disclosure import PRIMARY, SECONDARY

    # Ward A has one resident at gold and six at silver; the 1 is hidden, and the 6 must be
    # hidden too or the row total gives the 1 away. The 6 is not "fewer than 5".
    table = protect([[6, 1], [8, 7]])
    assert table.label(0, 1) == PRIMARY
    assert (0, 0) in table.hidden
    assert table.label(0, 0) == SECONDARY
    for r, c in table.hidden:
        expected = PRIMARY if 0 < table.values[r][c] < 5 else SECONDARY
        assert table.label(r, c) == expected
    assert table.label(1, 2) == 15  # shown cells are their counts


def test_people_count_is_the_one_rule_for_a_single_figure() -> None:
    from skillspassport.core.disclosure import PRIMARY, people_count

    assert [people_count(n) for n in (0, 1, 4, 5, 6)] == [0, PRIMARY, PRIMARY, 5, 6]
