"""The area skills baseline: residents' overall passport levels by ward and by LSOA, with
small numbers protected. Counts of 1 to 4 are shown as "fewer than 5"; where a row would then
have exactly one hidden cell, the next smallest cell is hidden too, so the row total cannot
reveal it. (The six-monthly report applies the full disclosure-control rules.)"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

LEVELS = ("", "bronze", "silver", "gold")
THRESHOLD = 5


@dataclass(frozen=True)
class BaselineRow:
    label: str
    cells: tuple[str, ...]  # one per level, as shown ("" when the whole row is too small)
    total: str


def suppress(counts: Iterable[int]) -> tuple[str, ...]:
    values = list(counts)
    hidden = {i for i, v in enumerate(values) if 0 < v < THRESHOLD}
    if len(hidden) == 1:
        candidates = sorted((v, i) for i, v in enumerate(values) if i not in hidden and v > 0)
        if candidates:
            hidden.add(candidates[0][1])
    return tuple("fewer than 5" if i in hidden else str(v) for i, v in enumerate(values))


def baseline(levels: Iterable[tuple[str, str | None]]) -> list[BaselineRow]:
    """(group label, overall level or None) per resident -> protected rows, by label.

    A group with fewer than 5 residents in all is shown as a whole as "fewer than 5"."""
    by_group: dict[str, Counter[str]] = defaultdict(Counter)
    for group, level in levels:
        by_group[group][level or ""] += 1
    rows = []
    for group in sorted(by_group):
        values = [by_group[group][level] for level in LEVELS]
        total = sum(values)
        if total < THRESHOLD:
            rows.append(BaselineRow(group, ("",) * len(LEVELS), "fewer than 5"))
        else:
            rows.append(BaselineRow(group, suppress(values), str(total)))
    return rows
