"""Matching residents and opportunities by passport level, skills and distance. Pure Python.

An opportunity asks for a minimum passport level per strand (and may name skill areas it
values). A resident qualifies when every strand is at or above the minimum; they are "one step
away" when exactly one strand is exactly one level short, and the match says which. Residents
are ranked for an opportunity by skills fit (share of the valued skill areas they have
evidenced), then by distance (great-circle, from postcode centroids), then by id.

Residents are grouped by their combination of strand levels (at most 4^strands groups), so an
opportunity is checked against each group once rather than against every resident.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

LEVELS = ("", "bronze", "silver", "gold")
RANK = {level: i for i, level in enumerate(LEVELS)}


@dataclass(frozen=True)
class ResidentProfile:
    id: int
    levels: Mapping[str, str]  # strand -> level ("" = none)
    skill_areas: frozenset[str] = frozenset()
    location: tuple[float, float] | None = None  # (latitude, longitude)
    may_be_put_forward: bool = False


@dataclass(frozen=True)
class Opportunity:
    id: int
    minimum: Mapping[str, str]  # strand -> minimum level
    skill_areas: frozenset[str] = frozenset()
    location: tuple[float, float] | None = None


@dataclass(frozen=True)
class Shortfall:
    strand: str
    has: str
    needs: str


@dataclass(frozen=True)
class Match:
    resident_id: int
    opportunity_id: int
    fit: float  # 0-1: share of the opportunity's skill areas the resident has evidenced
    distance_km: float | None
    shortfall: Shortfall | None = None  # set when one step away

    @property
    def qualifies(self) -> bool:
        return self.shortfall is None


def distance_km(a: tuple[float, float] | None, b: tuple[float, float] | None) -> float | None:
    if a is None or b is None:
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def assess(resident: ResidentProfile, opportunity: Opportunity) -> Match | None:
    """How the resident stands for the opportunity: a match, one step away, or None."""
    short: list[Shortfall] = []
    for strand, needed in opportunity.minimum.items():
        has = resident.levels.get(strand, "")
        gap = RANK[needed] - RANK[has]
        if gap > 1:
            return None
        if gap == 1:
            short.append(Shortfall(strand, has, needed))
    if len(short) > 1:
        return None
    return Match(
        resident.id,
        opportunity.id,
        _fit(resident.skill_areas, opportunity.skill_areas),
        distance_km(resident.location, opportunity.location),
        short[0] if short else None,
    )


def _fit(has: frozenset[str], wanted: frozenset[str]) -> float:
    return len(has & wanted) / len(wanted) if wanted else 1.0


def _order(match: Match) -> tuple[float, float, int]:
    distance = match.distance_km if match.distance_km is not None else math.inf
    return (-match.fit, distance, match.resident_id)


def for_resident(
    resident: ResidentProfile, opportunities: Iterable[Opportunity]
) -> tuple[list[Match], list[Match]]:
    """(opportunities the resident qualifies for now, those one step away), nearest first."""
    now: list[Match] = []
    next_step: list[Match] = []
    for opportunity in opportunities:
        match = assess(resident, opportunity)
        if match is not None:
            (now if match.qualifies else next_step).append(match)
    return sorted(now, key=_nearest), sorted(next_step, key=_nearest)


def _nearest(match: Match) -> tuple[float, int]:
    distance = match.distance_km if match.distance_km is not None else math.inf
    return (distance, match.opportunity_id)


# Grid cells for the nearest-first search: 0.01° of latitude (1.11 km) by 0.015° of longitude
# (0.99 km at 53.5° N, the Liverpool City Region). Any cell size gives the same answer; this one
# keeps a few hundred residents a cell in a dense town.
CELL_LAT = 0.01
CELL_LON = 0.015
_NOWHERE = (1 << 30, 1 << 30)  # the cell of residents without a known location
SCAN_BELOW = 2000  # a fit tier this small is ranked by looking at all its residents


def _cell(location: tuple[float, float] | None) -> tuple[int, int]:
    if location is None:
        return _NOWHERE
    return (math.floor(location[0] / CELL_LAT), math.floor(location[1] / CELL_LON))


def _ring(centre: tuple[int, int], r: int) -> Iterable[tuple[int, int]]:
    """The cells at Chebyshev distance exactly `r` from `centre`."""
    y, x = centre
    if r == 0:
        yield centre
        return
    for dx in range(-r, r + 1):
        yield (y - r, x + dx)
        yield (y + r, x + dx)
    for dy in range(-r + 1, r):
        yield (y + dy, x - r)
        yield (y + dy, x + r)


def _ring_floor_km(r: int, latitude: float) -> float:
    """No point in a cell at ring `r` or beyond is nearer than this (km), with a safety margin."""
    if r <= 1:
        return 0.0
    lat_km = CELL_LAT * 111.19
    lon_km = CELL_LON * 111.32 * math.cos(math.radians(min(89.0, abs(latitude) + 1.0)))
    return 0.995 * (r - 1) * min(lat_km, lon_km)


@dataclass
class _Group:
    """Residents sharing one combination of strand levels and of evidenced skill areas."""

    levels: tuple[int, ...]
    skill_areas: frozenset[str]
    members: list[ResidentProfile] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass
class ResidentIndex:
    """Residents who may be put forward, grouped so an opportunity's best matches are found
    without looking at every resident.

    Residents are grouped by their combination of strand levels and of evidenced skill areas
    (about 1,500 groups at 100,000 residents: both follow the framework's structure), and all
    residents by grid cell. For an opportunity, qualification and skills fit are decided once
    per group; then, best fit first, a small tier is ranked whole and a large one is searched
    in rings of cells outward until no unseen cell can hold anyone nearer than those found.
    """

    strands: tuple[str, ...]
    groups: list[_Group] = field(default_factory=list)
    by_levels: dict[tuple[int, ...], list[_Group]] = field(default_factory=dict)
    extent: tuple[int, int, int, int] = (0, 0, 0, 0)  # min/max cell row and column
    cells: dict[tuple[int, int], list[tuple[int, ResidentProfile]]] = field(default_factory=dict)

    @classmethod
    def build(cls, residents: Iterable[ResidentProfile], strands: Sequence[str]) -> ResidentIndex:
        keyed: dict[tuple[tuple[int, ...], frozenset[str]], _Group] = {}
        cells: dict[tuple[int, int], list[tuple[int, ResidentProfile]]] = {}
        rows: list[int] = []
        cols: list[int] = []
        for resident in residents:
            if not resident.may_be_put_forward:
                continue
            levels = tuple(RANK[resident.levels.get(s, "")] for s in strands)
            key = (levels, resident.skill_areas)
            group = keyed.get(key)
            if group is None:
                group = keyed[key] = _Group(levels, resident.skill_areas)
            cell = _cell(resident.location)
            group.members.append(resident)
            cells.setdefault(cell, []).append((id(group), resident))
            if cell != _NOWHERE:
                rows.append(cell[0])
                cols.append(cell[1])
        by_levels: dict[tuple[int, ...], list[_Group]] = defaultdict(list)
        for group in keyed.values():
            by_levels[group.levels].append(group)
        extent = (min(rows), max(rows), min(cols), max(cols)) if rows else (0, 0, 0, 0)
        return cls(tuple(strands), list(keyed.values()), dict(by_levels), extent, cells)

    def __len__(self) -> int:
        return sum(group.size for group in self.groups)

    def _tiers(self, opportunity: Opportunity) -> list[tuple[float, list[_Group]]]:
        """Qualifying groups by skills fit, best fit first."""
        minimum = tuple(RANK[opportunity.minimum.get(s, "")] for s in self.strands)
        tiers: dict[float, list[_Group]] = defaultdict(list)
        for levels, groups in self.by_levels.items():
            if all(have >= need for have, need in zip(levels, minimum, strict=True)):
                for group in groups:
                    tiers[_fit(group.skill_areas, opportunity.skill_areas)].append(group)
        return sorted(tiers.items(), key=lambda item: -item[0])

    def count_qualifying(self, opportunity: Opportunity) -> int:
        return sum(g.size for _, groups in self._tiers(opportunity) for g in groups)

    def qualifying(self, opportunity: Opportunity, limit: int | None = None) -> list[Match]:
        """Residents who qualify now (and consented to be put forward): best fit, then
        nearest, then lowest id. With `limit`, only the first `limit` are worked out."""
        matches: list[Match] = []
        for fit, groups in self._tiers(opportunity):
            wanted = None if limit is None else limit - len(matches)
            if wanted is not None and wanted <= 0:
                break
            matches.extend(self._nearest_in(groups, fit, opportunity, wanted))
        return matches

    def _nearest_in(
        self, groups: list[_Group], fit: float, opportunity: Opportunity, wanted: int | None
    ) -> list[Match]:
        total = sum(g.size for g in groups)
        if wanted is None or total <= max(wanted, SCAN_BELOW) or opportunity.location is None:
            found = [
                Match(r.id, opportunity.id, fit, distance_km(r.location, opportunity.location))
                for group in groups
                for r in group.members
            ]
            found.sort(key=_order)
            return found if wanted is None else found[:wanted]
        # A large tier: search the shared grid outward, keeping residents of this tier.
        allowed = {id(g) for g in groups}
        where = opportunity.location

        def matches_in(cell: tuple[int, int]) -> list[Match]:
            return [
                Match(r.id, opportunity.id, fit, distance_km(r.location, where))
                for gid, r in self.cells.get(cell, ())
                if gid in allowed
            ]

        centre = _cell(where)
        lo_row, hi_row, lo_col, hi_col = self.extent
        reach = max(
            abs(centre[0] - lo_row),
            abs(centre[0] - hi_row),
            abs(centre[1] - lo_col),
            abs(centre[1] - hi_col),
        )
        found = []
        for r in range(reach + 1):
            for cell in _ring(centre, r):
                found.extend(matches_in(cell))
            if len(found) >= wanted:
                found.sort(key=_order)
                del found[wanted:]
                last = found[-1].distance_km
                if last is not None and last < _ring_floor_km(r + 1, where[0]):
                    return found
        found.extend(matches_in(_NOWHERE))  # no location: after everyone with one
        found.sort(key=_order)
        return found[:wanted]


def counts_for_residents(
    residents: Iterable[ResidentProfile],
    opportunities: Iterable[Opportunity],
    strands: Sequence[str],
) -> dict[int, tuple[int, int]]:
    """For every resident: how many opportunities they qualify for now and how many are one
    step away. Qualification depends only on levels, so it is decided once per pair of (the
    residents' level combination, the opportunities' minimum combination) — at most 4^4 x 4^4
    checks — instead of once per resident and opportunity."""
    by_minimum: dict[tuple[str, ...], int] = defaultdict(int)
    for opportunity in opportunities:
        by_minimum[tuple(opportunity.minimum.get(s, "") for s in strands)] += 1
    answers: dict[tuple[str, ...], tuple[int, int]] = {}
    out: dict[int, tuple[int, int]] = {}
    for resident in residents:
        key = tuple(resident.levels.get(s, "") for s in strands)
        answer = answers.get(key)
        if answer is None:
            probe = ResidentProfile(0, dict(zip(strands, key, strict=True)))
            now = nearly = 0
            for minimum, count in by_minimum.items():
                wanted = Opportunity(0, {s: m for s, m in zip(strands, minimum, strict=True) if m})
                match = assess(probe, wanted)
                if match is not None:
                    if match.qualifies:
                        now += count
                    else:
                        nearly += count
            answer = answers[key] = (now, nearly)
        out[resident.id] = answer
    return out
