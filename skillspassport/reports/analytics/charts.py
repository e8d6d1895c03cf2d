"""The geometry of the report page's small charts and map shading. Pure Python.

A figure that disclosure control hid arrives as text ("fewer than 5", "hidden so that …") or
None (not available); it is drawn as nothing and labelled as it is, never as a guess.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Figure = int | float | str | None


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    w: float
    h: float
    label: Figure  # what the bar's title says: the figure, or "not available"


def trend_bars(values: Sequence[Figure], width: int = 96, height: int = 28) -> list[Bar]:
    """Bars for a measure's trend, scaled to the tallest; hidden figures are drawn as 0."""
    numbers = [v if isinstance(v, int | float) else 0 for v in values]
    top = max(numbers, default=0) or 1
    step = width / max(len(values), 1)
    bars = []
    for i, (value, number) in enumerate(zip(values, numbers, strict=True)):
        h = round(height * number / top, 1)
        bars.append(
            Bar(
                x=round(i * step + 2, 1),
                y=round(height - h, 1),
                w=round(step - 4, 1),
                h=h,
                label="not available" if value is None else value,
            )
        )
    return bars


@dataclass(frozen=True)
class Shading:
    scaled: dict[str, float | None]  # area -> 0 to 10 (None: hidden or none, left unshaded)
    edges: list[int]  # class boundaries in people, from 0 to the largest count


def count_shading(counts: Mapping[str, Figure], classes: int) -> Shading | None:
    """Areas' counts of people scaled 0-10 against the largest, with `classes` equal classes
    for the legend; None when no area has a count that may be shown."""
    numbers = [c for c in counts.values() if isinstance(c, int)]
    if not numbers:
        return None
    top = max(numbers) or 1
    scaled = {
        code: (10 * c / top if isinstance(c, int) and c > 0 else None) for code, c in counts.items()
    }
    return Shading(scaled, [round(top * i / classes) for i in range(classes + 1)])
