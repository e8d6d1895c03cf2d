"""The area skills baseline: residents' overall passport levels by ward and by LSOA, with
small numbers protected by `core.disclosure` (counts of 1 to 4 shown as "fewer than 5", and
enough others hidden, and labelled as such, that no hidden count can be worked out from the
rest and the totals)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from skillspassport.core.disclosure import protect

LEVELS = ("", "bronze", "silver", "gold")


@dataclass(frozen=True)
class BaselineRow:
    label: str
    cells: tuple[str, ...]  # one per level, as shown
    total: str


def baseline(
    levels: Iterable[tuple[str, str | None]], *, totals_label: str = ""
) -> list[BaselineRow]:
    """(group label, overall level or None) per resident -> protected rows by label, then
    (if `totals_label` is given) a totals row."""
    by_group: dict[str, Counter[str]] = defaultdict(Counter)
    for group, level in levels:
        by_group[group][level or ""] += 1
    labels = sorted(by_group)
    if not labels:
        return []
    table = protect([[by_group[g][level] for level in LEVELS] for g in labels])

    def shown(r: int, c: int) -> str:
        return str(table.label(r, c))

    rows = [
        BaselineRow(label, tuple(shown(r, c) for c in range(len(LEVELS))), shown(r, len(LEVELS)))
        for r, label in enumerate(labels)
    ]
    if totals_label:
        last = len(labels)
        rows.append(
            BaselineRow(
                totals_label,
                tuple(shown(last, c) for c in range(len(LEVELS))),
                shown(last, len(LEVELS)),
            )
        )
    return rows
