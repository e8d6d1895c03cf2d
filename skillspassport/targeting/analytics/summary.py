"""Summaries of a scoring for the targeting pages: wards, one area against its council, and
medians. Pure Python, fed by `targeting.selectors`.

- `ward_summary`: per ward, how many of its areas were ranked, their mean score, and how many
  are in the top fifth of the ranking.
- `indicator_comparisons`: each indicator of one area beside the council's median and
  England's, with the share of the council's areas below it.
- `area_scores`: the area's score under every preset method, scaled over the council's areas.
- `medians`: the median of each indicator over a set of areas.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from skillspassport.targeting.analytics.risk import (
    AreaScore,
    Indicator,
    Method,
    explain,
    score_areas,
)

Values = Mapping[str, Mapping[str, float | None]]  # area -> indicator -> value
TOP_SHARE = 0.2  # "the top fifth" of a ranking


@dataclass(frozen=True)
class WardSummary:
    ward: str
    areas: int
    mean: float | None  # mean score of the ward's scored areas; None if none was scored
    top_fifth: int  # areas ranked in the top fifth of all scored areas


def top_fifth_cut(scored: int) -> int:
    """The lowest rank still in the top fifth of `scored` ranked areas (at least 1)."""
    return max(1, round(scored * TOP_SHARE))


def ward_summary(results: Iterable[tuple[str, AreaScore]], scored: int) -> list[WardSummary]:
    """(ward, result) pairs summarised per ward, highest mean first (unscored wards last),
    then by name. `scored` is the number of areas ranked, which sets the top fifth."""
    cut = top_fifth_cut(scored)
    by_ward: dict[str, list[AreaScore]] = defaultdict(list)
    for ward, result in results:
        by_ward[ward].append(result)
    summary = []
    for ward, ward_results in by_ward.items():
        scores = [r.score for r in ward_results if r.score is not None]
        summary.append(
            WardSummary(
                ward=ward,
                areas=len(ward_results),
                mean=statistics.fmean(scores) if scores else None,
                top_fifth=sum(1 for r in ward_results if r.rank is not None and r.rank <= cut),
            )
        )
    return sorted(summary, key=lambda w: (-(w.mean if w.mean is not None else -1), w.ward))


@dataclass(frozen=True)
class IndicatorComparison:
    indicator: Indicator
    value: float | None
    council_median: float | None
    england_median: float | None
    share_below: float | None  # share of the council's areas with a lower value (0 to 1)


def indicator_comparisons(
    own: Mapping[str, float | None],
    council: Values,
    indicators: Iterable[Indicator],
    england: Mapping[str, float],
) -> list[IndicatorComparison]:
    """One area's indicators (`own`) beside the council's areas and England's medians."""
    rows = []
    for indicator in indicators:
        local = [x for v in council.values() if (x := v.get(indicator.code)) is not None]
        value = own.get(indicator.code)
        share_below = None
        if local and value is not None:
            share_below = sum(1 for x in local if x < value) / len(local)
        rows.append(
            IndicatorComparison(
                indicator=indicator,
                value=value,
                council_median=statistics.median(local) if local else None,
                england_median=england.get(indicator.code),
                share_below=share_below,
            )
        )
    return rows


def area_scores(
    code: str,
    council: Values,
    methods: Iterable[Method],
    indicators: Mapping[str, Indicator],
    *,
    base_label: str = "the council's areas",
) -> list[tuple[Method, AreaScore, str]]:
    """The area's result and explanation under each method, scaled over the council's areas
    (none if the area is not one of them)."""
    if code not in council:
        return []
    found = []
    for method in methods:
        scoring = score_areas(method, indicators, council, base_label=base_label)
        result = next(a for a in scoring.areas if a.area == code)
        found.append((method, result, explain(result, len(scoring.scored))))
    return found


def medians(values: Values) -> dict[str, float]:
    """The median of each indicator over the areas, ignoring missing values."""
    columns: dict[str, list[float]] = defaultdict(list)
    for area_values in values.values():
        for code, value in area_values.items():
            if value is not None:
                columns[code].append(value)
    return {code: statistics.median(column) for code, column in columns.items()}
