"""Choropleth maps drawn as SVG on the server from the shipped boundaries (no tile servers).

Boundaries: ONS LSOA 2021 and May 2025 wards (generalised, clipped) for the Liverpool City
Region, shipped in data/ with the attribution inside each file.
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from skillspassport.targeting.slices import DATA_DIR

Ring = list[tuple[float, float]]

# Five classes, light to dark; the legend gives the ranges, and every area is in the table too.
PALETTE = ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f")
NO_DATA = "#ffffff"


BOUNDARY_FILES = {
    "lsoa21": "lcr_lsoa21_boundaries.json.gz",
    "wards": "lcr_wards_boundaries.json.gz",  # May 2025 wards
}


@cache
def _boundaries(kind: str = "lsoa21") -> dict[str, list[list[Ring]]]:
    with gzip.open(DATA_DIR / BOUNDARY_FILES[kind], "rb") as handle:
        data = json.load(handle)
    return {
        code: [[[(x, y) for x, y in ring] for ring in poly] for poly in polys]
        for code, polys in data["areas"].items()
    }


@dataclass(frozen=True)
class MapShape:
    code: str
    path: str
    fill: str


@dataclass(frozen=True)
class ChoroplethMap:
    width: int
    height: int
    shapes: tuple[MapShape, ...]
    legend: tuple[tuple[str, str], ...]  # (colour, label)


def has_boundaries(codes: Iterable[str], kind: str = "lsoa21") -> bool:
    known = _boundaries(kind)
    return any(code in known for code in codes)


def class_breaks(values: Sequence[float], classes: int = len(PALETTE)) -> list[float]:
    """Equal intervals over the 0-10 scale, so colours mean the same score on every map."""
    return [10 * (i + 1) / classes for i in range(classes - 1)]


def choropleth(
    scores: Mapping[str, float | None], width: int = 640, kind: str = "lsoa21"
) -> ChoroplethMap:
    shapes_by_code = {c: p for c, p in _boundaries(kind).items() if c in scores}
    points = [pt for polys in shapes_by_code.values() for poly in polys for pt in poly[0]]
    if not points:
        return ChoroplethMap(width, 0, (), ())
    min_x = min(x for x, _ in points)
    max_x = max(x for x, _ in points)
    min_y = min(y for _, y in points)
    max_y = max(y for _, y in points)
    k = math.cos(math.radians((min_y + max_y) / 2))  # keep shapes true at this latitude
    scale = width / ((max_x - min_x) * k)
    height = round((max_y - min_y) * scale) + 2
    breaks = class_breaks([s for s in scores.values() if s is not None])

    def project(x: float, y: float) -> str:
        return f"{(x - min_x) * k * scale + 1:.1f} {(max_y - y) * scale + 1:.1f}"

    shapes = []
    for code, polys in sorted(shapes_by_code.items()):
        path = " ".join(
            "M" + " L".join(project(x, y) for x, y in ring) + " Z"
            for poly in polys
            for ring in poly
        )
        score = scores[code]
        fill = NO_DATA if score is None else PALETTE[sum(score > b for b in breaks)]
        shapes.append(MapShape(code, path, fill))
    edges = [0.0, *breaks, 10.0]
    legend = tuple(
        (PALETTE[i], f"{edges[i]:.0f} to {edges[i + 1]:.0f}") for i in range(len(PALETTE))
    )
    return ChoroplethMap(width, height, tuple(shapes), (*legend, (NO_DATA, "Not scored")))
