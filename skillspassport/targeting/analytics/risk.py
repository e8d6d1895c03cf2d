"""Exclusion-risk scores for small areas: transparent, weighted, explainable. Pure Python.

The method follows the published Digital Exclusion Risk Index (Greater Manchester Combined
Authority, Open Government Licence): every indicator is scaled to 0-10 by min-max over a
chosen base (`10 * (v - min) / (max - min)`, reversed where a higher value is better); each
component is the weighted mean of its scaled indicators; the overall score is the weighted mean
of the components (0 = lowest risk in the base, 10 = highest).

Missing stays missing: an area with any input missing for a component has no value for that
component, and no overall score; it is reported as not scored, with what was missing, never
filled in with a guess.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

METHOD_VERSION = "risk-1.0"


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    higher_is_worse: bool = True
    unit: str = ""  # "%", "score", "rank", … (for explanations only)


@dataclass(frozen=True)
class Component:
    code: str
    label: str
    weights: Mapping[str, float]  # indicator code -> weight


@dataclass(frozen=True)
class Method:
    code: str
    label: str
    components: tuple[Component, ...]
    component_weights: Mapping[str, float]
    description: str = ""
    version: str = METHOD_VERSION

    @property
    def indicator_codes(self) -> list[str]:
        seen: dict[str, None] = {}
        for component in self.components:
            for code in component.weights:
                seen.setdefault(code, None)
        return list(seen)

    def with_weights(
        self,
        component_weights: Mapping[str, float] | None = None,
        indicator_weights: Mapping[str, Mapping[str, float]] | None = None,
    ) -> Method:
        """The same method with some weights changed (custom weights)."""
        components = tuple(
            Component(
                c.code,
                c.label,
                {**c.weights, **(indicator_weights or {}).get(c.code, {})},
            )
            for c in self.components
        )
        return Method(
            f"{self.code}-custom",
            f"{self.label} (custom weights)",
            components,
            {**self.component_weights, **(component_weights or {})},
            self.description,
            self.version,
        )


class MethodError(ValueError):
    """The method or its weights cannot be used; the message says why."""


def validate(method: Method, indicators: Mapping[str, Indicator]) -> None:
    def check(weights: Mapping[str, float], where: str) -> None:
        for name, weight in weights.items():
            if not isinstance(weight, int | float) or not math.isfinite(weight):
                raise MethodError(f"{where}: the weight for {name} must be a number.")
            if weight < 0:
                raise MethodError(f"{where}: the weight for {name} cannot be negative.")
        if not weights or sum(weights.values()) <= 0:
            raise MethodError(f"{where}: at least one weight must be more than zero.")

    if not method.components:
        raise MethodError("A method needs at least one component.")
    codes = {c.code for c in method.components}
    if set(method.component_weights) != codes:
        raise MethodError("Give a weight for each component, and only for those components.")
    check(method.component_weights, "Components")
    for component in method.components:
        check(component.weights, component.label)
        for code in component.weights:
            if code not in indicators:
                raise MethodError(f"{component.label}: unknown indicator {code}.")


# --- Scaling bases -------------------------------------------------------------------------


@dataclass(frozen=True)
class Range:
    low: float
    high: float


def ranges(
    values: Mapping[str, Mapping[str, float | None]], indicator_codes: Iterable[str]
) -> dict[str, Range | None]:
    """Min and max of each indicator over the areas given (the scaling base)."""
    out: dict[str, Range | None] = {}
    for code in indicator_codes:
        present = [x for v in values.values() if (x := v.get(code)) is not None]
        out[code] = Range(min(present), max(present)) if present else None
    return out


def scale(value: float, span: Range, *, higher_is_worse: bool) -> float:
    """0-10 within the base; values beyond the base's range are clamped to 0 or 10."""
    if span.high == span.low:
        return 0.0
    share = (value - span.low) / (span.high - span.low)
    if not higher_is_worse:
        share = 1.0 - share
    return 10.0 * min(1.0, max(0.0, share))


# --- Scoring -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Driver:
    indicator: str
    label: str
    raw: float
    scaled: float
    unit: str


@dataclass(slots=True)
class AreaScore:
    """One area's result. `rank` is filled in once every area has been scored."""

    area: str
    score: float | None
    rank: int | None  # 1 = highest risk; equal scores share a rank
    components: Mapping[str, float | None]
    scaled: Mapping[str, float | None]
    missing: tuple[str, ...]
    drivers: tuple[Driver, ...] = field(default=())


@dataclass(frozen=True)
class Scoring:
    method: Method
    base_label: str
    ranges: Mapping[str, Range | None]
    areas: tuple[AreaScore, ...]  # highest risk first, then the areas that could not be scored

    @property
    def scored(self) -> list[AreaScore]:
        return [a for a in self.areas if a.score is not None]


def score_areas(
    method: Method,
    indicators: Mapping[str, Indicator],
    values: Mapping[str, Mapping[str, float | None]],
    *,
    base: Mapping[str, Range | None] | None = None,
    base_label: str = "the areas scored",
    drivers: int = 3,
) -> Scoring:
    """Score and rank `values` (area -> indicator -> value) by `method`.

    `base` gives the min-max range of each indicator to scale against (from a council, the
    combined authority or England); by default the areas being scored are their own base.
    """
    validate(method, indicators)
    codes = method.indicator_codes
    spans = dict(base) if base is not None else ranges(values, codes)
    shares = {code: _weight_of(method, code) for code in codes}
    # Per indicator: (low, width, reversed) for scaling; None when the base has no values.
    scalers = {
        code: (span.low, span.high - span.low, not indicators[code].higher_is_worse)
        if (span := spans.get(code)) is not None
        else None
        for code in codes
    }
    results: list[AreaScore] = []
    for area, inputs in values.items():
        scaled: dict[str, float | None] = {}
        missing: list[str] = []
        for code in codes:
            raw, scaler = inputs.get(code), scalers[code]
            if raw is None or scaler is None:
                scaled[code] = None
                missing.append(code)
                continue
            low, width, reverse = scaler
            share = 0.0 if width == 0 else min(1.0, max(0.0, (raw - low) / width))
            scaled[code] = 10.0 * (1.0 - share if reverse and width else share)
        components = {c.code: _weighted_mean(c.weights, scaled) for c in method.components}
        overall = _weighted_mean(method.component_weights, components)
        candidates = [
            (-(s * shares[code]), code, s)
            for code, s in scaled.items()
            if s is not None and shares[code] > 0
        ]
        candidates.sort()
        top = tuple(
            Driver(code, indicators[code].label, inputs[code] or 0.0, s, indicators[code].unit)
            for _key, code, s in candidates[:drivers]
        )
        results.append(AreaScore(area, overall, None, components, scaled, tuple(missing), top))
    return Scoring(method, base_label, spans, tuple(_rank(results)))


def _weighted_mean(
    weights: Mapping[str, float], values: Mapping[str, float | None]
) -> float | None:
    """The weighted mean of `values`, or None if any weighted value is missing."""
    total, weighted = 0.0, 0.0
    for code, weight in weights.items():
        value = values[code]
        if value is None:
            return None
        total += weight
        weighted += value * weight
    return weighted / total


def _weight_of(method: Method, indicator: str) -> float:
    """The indicator's share of the overall score (for ordering drivers)."""
    total = sum(method.component_weights.values())
    share = 0.0
    for component in method.components:
        if indicator in component.weights:
            inner = sum(component.weights.values())
            share += (method.component_weights[component.code] / total) * (
                component.weights[indicator] / inner
            )
    return share


def _rank(results: Sequence[AreaScore]) -> list[AreaScore]:
    scored = sorted(
        ((r.score, r) for r in results if r.score is not None), key=lambda p: (-p[0], p[1].area)
    )
    previous: float | None = None
    rank = 0
    for position, (score, result) in enumerate(scored, start=1):
        rounded = round(score, 9)
        if rounded != previous:
            rank, previous = position, rounded
        result.rank = rank
    return [r for _s, r in scored] + sorted(
        (r for r in results if r.score is None), key=lambda r: r.area
    )


def explain(result: AreaScore, total: int, *, category: str | None = None) -> str:
    """One line a councillor can read: "3rd of 191: employment deprivation 9.1/10, …"."""
    if result.score is None:
        return "Not scored: no data for " + ", ".join(result.missing) + "."
    parts = [f"{_in_sentence(d.label)} {d.scaled:.1f}/10" for d in result.drivers]
    if category:
        parts.append(category)
    return f"{ordinal(result.rank or 0)} of {total}: " + ", ".join(parts)


def _in_sentence(label: str) -> str:
    """'Employment deprivation' -> 'employment deprivation'; 'IMD score' stays as it is."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
