"""Disclosure control: the one small-numbers rule for every figure that leaves the system.

Pure Python. A single count of people is shown as it is unless it is 1 to 4, which is shown as
"fewer than 5" (`people_count`). For count tables, see below; `ProtectedTable.label` gives the
text for every cell, and says which rule hid it: PRIMARY ("fewer than 5") for a count of 1 to 4,
SECONDARY ("hidden so that other figures cannot be worked out") for a larger count hidden only
so that a small one cannot be recovered from the totals. A secondary cell is never called
"fewer than 5": it may hold 6 or 600.

A table is counts with row totals, column totals and a grand total. Primary suppression hides
every count from 1 to 4 (totals included). Secondary suppression then hides further non-zero
counts until no hidden count can be worked out from the visible ones and the totals.

Why the check is exact: the totals are sums, so the hidden entries obey one equation per row
and per column. Picture a graph with a node for every row and every column (the totals row and
column included) and an edge for every hidden entry, joining its row and its column. A hidden
entry can be recovered exactly when its edge is a *bridge* (removing it disconnects the
graph's component): then its row or column equations pin it down. When the edge lies on a
cycle, adding 1 and subtracting 1 alternately round the cycle gives another table with the
same visible cells and totals; every hidden entry is at least 1, so the changed table is still
valid, and the entry's value is not determined. So: a table is safe when no hidden entry is a
bridge. Zeros are shown: a hidden 0 could not be lowered, so hiding it would not protect.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD = 5  # counts 1..THRESHOLD-1 are suppressed
PRIMARY = "fewer than 5"
SECONDARY = "hidden so that other figures cannot be worked out"


def is_small(value: int | float) -> bool:
    """A count of people too small to show: 1 to THRESHOLD - 1."""
    return 0 < value < THRESHOLD


def people_count(value: int) -> int | str:
    """A single count of people as it may be shown outside the service."""
    return PRIMARY if is_small(value) else value


Cell = tuple[int, int]


@dataclass(frozen=True)
class ProtectedTable:
    """`values` has the counts with a totals row and column appended (the grand total last).
    `hidden` holds the (row, column) of every suppressed entry, totals included."""

    values: tuple[tuple[int, ...], ...]
    hidden: frozenset[Cell]

    def shown(self, row: int, column: int) -> int | None:
        return None if (row, column) in self.hidden else self.values[row][column]

    def is_primary(self, row: int, column: int) -> bool:
        """Hidden because it is itself a small count."""
        return (row, column) in self.hidden and is_small(self.values[row][column])

    def label(self, row: int, column: int) -> int | str:
        """The cell as it may be shown: its count, PRIMARY or SECONDARY."""
        if (row, column) not in self.hidden:
            return self.values[row][column]
        return PRIMARY if self.is_primary(row, column) else SECONDARY


def with_totals(counts: Sequence[Sequence[int]]) -> list[list[int]]:
    table = [[*row, sum(row)] for row in counts]
    columns = len(table[0]) if table else 1
    table.append([sum(row[c] for row in table) for c in range(columns)])
    return table


def protect(counts: Sequence[Sequence[int]]) -> ProtectedTable:
    table = with_totals(counts)
    rows, columns = len(table), len(table[0])
    hidden: set[Cell] = {
        (r, c) for r in range(rows) for c in range(columns) if is_small(table[r][c])
    }
    while True:
        bridges = find_bridges(hidden, rows, columns)
        if not bridges:
            break
        r, c = min(bridges)
        hidden.add(_partner(table, hidden, r, c))
    return ProtectedTable(tuple(tuple(row) for row in table), frozenset(hidden))


def _partner(table: list[list[int]], hidden: set[Cell], r: int, c: int) -> Cell:
    """Another non-zero entry to hide so that (r, c) is no longer recoverable.

    Cheapest first: an entry that closes a cycle through (r, c) at once (it joins the two
    sides the bridge separates), preferring entries in the same row or column, counts to
    totals, and small numbers to large. Failing that, the smallest entry in the same row or
    column; as a last resort, the grand total.
    """
    rows, columns = len(table), len(table[0])
    side_a = _reachable(hidden - {(r, c)}, rows, r)  # nodes: rows 0.., columns rows+0..
    side_b = _reachable(hidden - {(r, c)}, rows, rows + c)
    line = {(r, cc) for cc in range(columns)} | {(rr, c) for rr in range(rows)}

    def is_total(cell: Cell) -> bool:
        return cell[0] == rows - 1 or cell[1] == columns - 1

    def closes(cell: Cell) -> bool:
        u, v = cell[0], rows + cell[1]
        return (u in side_a and v in side_b) or (u in side_b and v in side_a)

    candidates = sorted(
        (
            (x, y)
            for x in range(rows)
            for y in range(columns)
            if (x, y) not in hidden and table[x][y] > 0
        ),
        key=lambda cell: (cell not in line, is_total(cell), table[cell[0]][cell[1]], cell),
    )
    for cell in candidates:
        if closes(cell):
            return cell
    in_line = [cell for cell in candidates if cell in line]
    return in_line[0] if in_line else (rows - 1, columns - 1)


def _reachable(hidden: set[Cell], rows: int, start: int) -> set[int]:
    """Nodes reachable from `start` through hidden entries (row r is node r, column c is
    node rows + c)."""
    adjacency: dict[int, list[int]] = {}
    for r, c in hidden:
        adjacency.setdefault(r, []).append(rows + c)
        adjacency.setdefault(rows + c, []).append(r)
    seen = {start}
    frontier = [start]
    while frontier:
        node = frontier.pop()
        for neighbour in adjacency.get(node, []):
            if neighbour not in seen:
                seen.add(neighbour)
                frontier.append(neighbour)
    return seen


def find_bridges(hidden: set[Cell] | frozenset[Cell], rows: int, columns: int) -> set[Cell]:
    """Hidden entries whose edge is a bridge in the row-column graph (recoverable entries)."""
    adjacency: dict[int, list[tuple[int, Cell]]] = {}
    for r, c in hidden:
        row_node, column_node = r, rows + c
        adjacency.setdefault(row_node, []).append((column_node, (r, c)))
        adjacency.setdefault(column_node, []).append((row_node, (r, c)))
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    bridges: set[Cell] = set()
    counter = 0
    for start in adjacency:
        if start in order:
            continue
        # Iterative depth-first search (Tarjan's bridge-finding), tracking the edge used.
        stack: list[tuple[int, Cell | None, int]] = [(start, None, 0)]
        order[start] = low[start] = counter
        counter += 1
        while stack:
            node, via, index = stack[-1]
            edges = adjacency[node]
            if index < len(edges):
                stack[-1] = (node, via, index + 1)
                neighbour, edge = edges[index]
                if edge == via:
                    continue
                if neighbour in order:
                    low[node] = min(low[node], order[neighbour])
                else:
                    order[neighbour] = low[neighbour] = counter
                    counter += 1
                    stack.append((neighbour, edge, 0))
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent] and via is not None:
                        bridges.add(via)
    return bridges
