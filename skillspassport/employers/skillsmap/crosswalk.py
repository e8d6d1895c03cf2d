"""Rolling ESCO skills up to the passport framework's skill areas and levels.

The crosswalk is data (`employers/data/esco_crosswalk.yaml`, maintained by hand; its header
says how). Each listed ESCO concept names one or more framework areas with the level an
employer asking for that skill most likely needs. Concepts not listed fall back to a default
per ESCO collection (for example every skill in ESCO's digital collection implies digital
skills for work), when the crosswalk gives one. A need per area is reported once, at the
highest level any matched skill asks for, with the skills that led to it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from skillspassport.employers.skillsmap.base import SkillMatch
from skillspassport.employers.skillsmap.esco import DATA_DIR, Esco, load_esco

CROSSWALK_PATH = DATA_DIR / "esco_crosswalk.yaml"
COLLECTION_FLAGS = ("digcomp", "digital", "transversal")  # most specific first


@dataclass(frozen=True)
class Need:
    area_code: str
    level: str


@dataclass(frozen=True)
class FrameworkNeed:
    area_code: str  # e.g. "digital.handling_information"
    strand: str  # e.g. "digital"
    level: str  # a code of the strand's scale, e.g. "work" or "L1"
    because: tuple[str, ...]  # ESCO URIs of the matched skills that led to this need


@dataclass(frozen=True)
class Crosswalk:
    framework_version: str
    levels: Mapping[str, tuple[str, ...]]  # strand -> its scale, lowest first
    concepts: Mapping[str, tuple[Need, ...]]  # ESCO URI -> needs
    collections: Mapping[str, tuple[Need, ...]]  # ESCO collection flag -> default needs

    def needs_for(self, uri: str, esco: Esco | None = None) -> tuple[Need, ...]:
        listed = self.concepts.get(uri)
        if listed is not None:
            return listed
        concept = (esco or load_esco()).get(uri)
        if concept is None:
            return ()
        for flag in COLLECTION_FLAGS:
            if getattr(concept, flag) and flag in self.collections:
                return self.collections[flag]
        return ()


class CrosswalkError(ValueError):
    pass


def load_crosswalk(path: Path = CROSSWALK_PATH) -> Crosswalk:
    """Read and check the crosswalk YAML (structure and level codes; URIs are tested)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise CrosswalkError(f"{path}: expected a mapping at the top")
    levels = {strand: tuple(codes) for strand, codes in raw["levels"].items()}

    def needs(items: Any, where: str) -> tuple[Need, ...]:
        out: list[Need] = []
        for item in items:
            area, level = str(item["area"]), str(item["level"])
            strand = area.split(".", 1)[0]
            if level not in levels.get(strand, ()):
                raise CrosswalkError(f"{path}: {where}: {level!r} is not a level of {strand!r}")
            out.append(Need(area, level))
        return tuple(out)

    concepts: dict[str, tuple[Need, ...]] = {}
    for entry in raw.get("concepts", []):
        uri = str(entry["uri"])
        if uri in concepts:
            raise CrosswalkError(f"{path}: {uri} is listed twice")
        concepts[uri] = needs(entry["needs"], uri)
    collections = {
        str(flag): needs(entry["needs"], f"collection {flag}")
        for flag, entry in (raw.get("collections") or {}).items()
    }
    unknown = set(collections) - set(COLLECTION_FLAGS)
    if unknown:
        raise CrosswalkError(f"{path}: unknown collections {sorted(unknown)}")
    return Crosswalk(str(raw["framework_version"]), levels, concepts, collections)


def rollup(
    matches: Sequence[SkillMatch], crosswalk: Crosswalk, *, esco: Esco | None = None
) -> list[FrameworkNeed]:
    """One need per framework area the matched skills imply, strongest evidence first.

    The level is the highest any matched skill asks for in that area; `because` lists the
    skills' URIs in the order of `matches`.
    """
    best_level: dict[str, str] = {}
    because: dict[str, list[str]] = {}
    strength: dict[str, float] = {}
    for match in matches:
        for need in crosswalk.needs_for(match.uri, esco):
            strand = need.area_code.split(".", 1)[0]
            scale = crosswalk.levels[strand]
            current = best_level.get(need.area_code)
            if current is None or scale.index(need.level) > scale.index(current):
                best_level[need.area_code] = need.level
            uris = because.setdefault(need.area_code, [])
            if match.uri not in uris:
                uris.append(match.uri)
            strength[need.area_code] = max(strength.get(need.area_code, 0.0), match.score)
    order = sorted(best_level, key=lambda area: (-strength[area], area))
    return [
        FrameworkNeed(area, area.split(".", 1)[0], best_level[area], tuple(because[area]))
        for area in order
    ]
