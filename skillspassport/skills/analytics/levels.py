"""Passport levels from evidence, by rules stored as data. Pure Python: no Django.

A framework has strands; each strand has an ordered scale (e.g. E1 < E2 < E3 < L1 < L2) and
skill areas; each descriptor sits in one area at one step of the scale. Rules say, for each
strand and award (bronze < silver < gold), which requirements must hold:

- ``{"require": "all", "level": L, "areas": [...]}`` — every descriptor at exactly step L in
  those areas is evidenced;
- ``{"require": "each_area", "min_level": L, "count": N, "areas": [...]}`` — in each of those
  areas, at least N evidenced descriptors at step L or above.

Awards are cumulative: a strand holds an award only if it also holds every lower one. The
overall level is the lowest level across the strands the rules list (``"lowest_of"``).
Evidence counts if it is verified, or if self-assessed evidence is allowed by the council.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class StrandSpec:
    code: str
    name: str
    scale: tuple[tuple[str, str], ...]  # (code, name), lowest first
    areas: tuple[tuple[str, str], ...]  # (code, name)

    def rank(self, step: str) -> int:
        for index, (code, _name) in enumerate(self.scale):
            if code == step:
                return index
        raise KeyError(step)

    def step_name(self, step: str) -> str:
        return dict(self.scale)[step]

    def area_name(self, area: str) -> str:
        return dict(self.areas)[area]


@dataclass(frozen=True)
class DescriptorSpec:
    code: str
    strand: str
    area: str
    level: str
    replaces: tuple[str, ...] = ()


@dataclass(frozen=True)
class FrameworkSpec:
    version: str
    strands: Mapping[str, StrandSpec]
    descriptors: Mapping[str, DescriptorSpec]

    def current_code(self, code: str) -> str | None:
        """The code in this framework that evidence for `code` counts towards, if any."""
        if code in self.descriptors:
            return code
        return self._replaced_by.get(code)

    @property
    def _replaced_by(self) -> dict[str, str]:
        cached: dict[str, str] | None = self.__dict__.get("_replaced_cache")
        if cached is None:
            cached = {old: d.code for d in self.descriptors.values() for old in d.replaces}
            object.__setattr__(self, "_replaced_cache", cached)
        return cached


@dataclass(frozen=True)
class EvidenceFact:
    descriptor_code: str
    verified: bool


@dataclass(frozen=True)
class Shortfall:
    """One requirement of the next award that is not met yet, in plain English."""

    summary: str
    detail: str


@dataclass(frozen=True)
class StrandResult:
    strand: str
    level: str  # "" (none yet), or an award code
    next_award: str | None
    needed: tuple[Shortfall, ...] = ()


@dataclass(frozen=True)
class PassportResult:
    strands: Mapping[str, StrandResult]
    overall: str
    overall_next: str | None
    overall_needed: tuple[Shortfall, ...] = field(default=())
    not_counted: tuple[str, ...] = ()  # evidenced codes this framework does not know


class RulesError(ValueError):
    """The rules do not fit the framework."""


def awards_of(rules: Mapping[str, Any]) -> list[str]:
    return [a["code"] for a in rules["awards"]]


def validate_rules(framework: FrameworkSpec, rules: Mapping[str, Any]) -> list[str]:
    """Every way the rules fail to fit the framework, as messages (empty if they fit)."""
    errors: list[str] = []
    try:
        awards = awards_of(rules)
    except (KeyError, TypeError):
        return ["rules need an 'awards' list of {code, name}"]
    if not awards or len(set(awards)) != len(awards):
        errors.append("'awards' must be a non-empty list of distinct codes")
    strands_rules = rules.get("strands")
    if not isinstance(strands_rules, Mapping):
        return [*errors, "rules need a 'strands' mapping"]
    for strand_code, per_award in strands_rules.items():
        strand = framework.strands.get(strand_code)
        if strand is None:
            errors.append(f"unknown strand '{strand_code}'")
            continue
        if not isinstance(per_award, Mapping):
            errors.append(f"{strand_code}: expected a mapping of award to requirements")
            continue
        for award, requirements in per_award.items():
            if award not in awards:
                errors.append(f"{strand_code}: unknown award '{award}'")
                continue
            for req in requirements or []:
                errors.extend(_validate_requirement(strand, award, req))
    overall = rules.get("overall", {})
    if overall.get("method") != "lowest_of":
        errors.append("overall.method must be 'lowest_of'")
    for strand_code in overall.get("strands", []):
        if strand_code not in framework.strands:
            errors.append(f"overall: unknown strand '{strand_code}'")
    return errors


def _validate_requirement(strand: StrandSpec, award: str, req: Any) -> list[str]:
    where = f"{strand.code}.{award}"
    if not isinstance(req, Mapping):
        return [f"{where}: each requirement must be a mapping"]
    errors = []
    kind = req.get("require")
    step_key = {"all": "level", "each_area": "min_level"}.get(kind or "")
    if step_key is None:
        return [f"{where}: 'require' must be 'all' or 'each_area'"]
    if req.get(step_key) not in {code for code, _ in strand.scale}:
        errors.append(f"{where}: '{req.get(step_key)}' is not a step of the {strand.code} scale")
    area_codes = {code for code, _ in strand.areas}
    areas = req.get("areas")
    if not areas:
        errors.append(f"{where}: list the areas the requirement covers")
    for area in areas or []:
        if area not in area_codes:
            errors.append(f"{where}: unknown area '{area}'")
    if kind == "each_area":
        count = req.get("count", 1)
        if not isinstance(count, int) or count < 1:
            errors.append(f"{where}: 'count' must be a whole number of at least 1")
    return errors


def compute_passport(
    framework: FrameworkSpec,
    rules: Mapping[str, Any],
    evidence: Iterable[EvidenceFact],
    *,
    count_self_assessed: bool = False,
) -> PassportResult:
    awards = awards_of(rules)
    evidenced: set[str] = set()
    not_counted: set[str] = set()
    for fact in evidence:
        if not (fact.verified or count_self_assessed):
            continue
        code = framework.current_code(fact.descriptor_code)
        if code is None:
            not_counted.add(fact.descriptor_code)
        else:
            evidenced.add(code)

    by_area: dict[str, list[DescriptorSpec]] = {}
    for descriptor in framework.descriptors.values():
        by_area.setdefault(descriptor.area, []).append(descriptor)

    results: dict[str, StrandResult] = {}
    for strand_code, strand in framework.strands.items():
        per_award = rules["strands"].get(strand_code, {})
        level = ""
        next_award: str | None = None
        needed: tuple[Shortfall, ...] = ()
        for award in awards:
            shortfalls = [
                s
                for req in per_award.get(award, [])
                if (s := _shortfall(strand, req, by_area, evidenced)) is not None
            ]
            if shortfalls or not per_award.get(award):
                next_award, needed = award, tuple(shortfalls)
                break
            level = award
        results[strand_code] = StrandResult(strand_code, level, next_award, needed)

    counted = rules.get("overall", {}).get("strands", [])
    overall, overall_next, overall_needed = _lowest_of(awards, [results[s] for s in counted])
    return PassportResult(
        results, overall, overall_next, overall_needed, tuple(sorted(not_counted))
    )


def _lowest_of(
    awards: Sequence[str], strands: Sequence[StrandResult]
) -> tuple[str, str | None, tuple[Shortfall, ...]]:
    if not strands:
        return "", None, ()
    order = {"": -1} | {a: i for i, a in enumerate(awards)}
    lowest = min(order[s.level] for s in strands)
    overall = "" if lowest < 0 else awards[lowest]
    if lowest + 1 >= len(awards):
        return overall, None, ()
    next_award = awards[lowest + 1]
    needed = tuple(
        Shortfall(f"{s.strand.capitalize()}: {x.summary}", x.detail)
        for s in strands
        if order[s.level] == lowest
        for x in s.needed
    )
    return overall, next_award, needed


def _shortfall(
    strand: StrandSpec,
    req: Mapping[str, Any],
    by_area: Mapping[str, Sequence[DescriptorSpec]],
    evidenced: set[str],
) -> Shortfall | None:
    summary = str(req.get("summary") or "")
    if req["require"] == "all":
        wanted = [
            d for area in req["areas"] for d in by_area.get(area, []) if d.level == req["level"]
        ]
        done = sum(1 for d in wanted if d.code in evidenced)
        if done == len(wanted):
            return None
        return Shortfall(summary, f"{done} of {len(wanted)} done")
    floor = strand.rank(req["min_level"])
    count = int(req.get("count", 1))
    short_areas = []
    for area in req["areas"]:
        have = sum(
            1
            for d in by_area.get(area, [])
            if d.code in evidenced and strand.rank(d.level) >= floor
        )
        if have < count:
            short_areas.append(strand.area_name(area))
    if not short_areas:
        return None
    return Shortfall(summary, "still needed in: " + ", ".join(short_areas))
