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


@dataclass
class ResidentIndex:
    """Residents who may be put forward, grouped by their combination of strand levels."""

    strands: tuple[str, ...]
    groups: dict[tuple[int, ...], list[ResidentProfile]] = field(default_factory=dict)

    @classmethod
    def build(cls, residents: Iterable[ResidentProfile], strands: Sequence[str]) -> ResidentIndex:
        groups: dict[tuple[int, ...], list[ResidentProfile]] = defaultdict(list)
        for resident in residents:
            if resident.may_be_put_forward:
                key = tuple(RANK[resident.levels.get(s, "")] for s in strands)
                groups[key].append(resident)
        return cls(tuple(strands), dict(groups))

    def qualifying(self, opportunity: Opportunity, limit: int | None = None) -> list[Match]:
        """Residents who qualify now (and consented to be put forward), best fit first."""
        minimum = tuple(RANK[opportunity.minimum.get(s, "")] for s in self.strands)
        matches = [
            Match(
                resident.id,
                opportunity.id,
                _fit(resident.skill_areas, opportunity.skill_areas),
                distance_km(resident.location, opportunity.location),
            )
            for key, members in self.groups.items()
            if all(have >= need for have, need in zip(key, minimum, strict=True))
            for resident in members
        ]
        matches.sort(key=_order)
        return matches if limit is None else matches[:limit]
