"""Reads for area targeting: the areas of a council, their indicators, and scoring bases."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from skillspassport.accounts.access import acting_council_or_none, scope_for
from skillspassport.accounts.models import Organisation, User
from skillspassport.accounts.roles import Capability
from skillspassport.people.models import Resident
from skillspassport.skills.models import OVERALL, PassportLevel
from skillspassport.targeting.analytics.presets import INDICATORS
from skillspassport.targeting.analytics.risk import (
    Method,
    MethodError,
    Range,
    Scoring,
    explain,
    ranges,
    score_areas,
)
from skillspassport.targeting.analytics.summary import WardSummary, medians, ward_summary
from skillspassport.targeting.models import (
    AreaGeography,
    AreaIndicators,
    IndicatorDataset,
    TargetingPlan,
)

ENGLAND_LSOA21 = 33_755
BASES = {
    "council": "the council's areas",
    "region": "the combined authority's areas",
    "england": "all of England",
}


@dataclass(frozen=True)
class AreaData:
    values: dict[str, dict[str, float | None]]
    datasets: list[IndicatorDataset]


def targeting_council_for(user: User, choice: object = None) -> Organisation | None:
    """The council whose areas the user looks at: the council the page acts for, among those
    where they see aggregates (`accounts.access`), if its area (local authority) is known."""
    council = acting_council_or_none(
        user=user, capabilities=[Capability.VIEW_AGGREGATES], choice=choice
    )
    if council is None or not council.local_authority_code:
        return None
    return council


def plan_get_for_user(*, user: User, plan_id: int) -> TargetingPlan:
    """A saved plan of a council in whose scheme the user sees aggregates; Http404 otherwise,
    so other councils' staff (and guessed ids) learn nothing."""
    plan = (
        TargetingPlan.objects.select_related("council", "run", "created_by")
        .filter(pk=plan_id, council_id__in=scope_for(user, Capability.VIEW_AGGREGATES).council_ids)
        .first()
    )
    if plan is None:
        raise Http404("No such plan")
    return plan


def council_residents_levels(council: Organisation) -> QuerySet[Resident, tuple[Any, ...]]:
    """(ward name, LSOA code, overall level) for residents in the council's scheme: for counts
    only (the baseline tables suppress small numbers)."""
    overall = PassportLevel.objects.filter(resident=OuterRef("pk"), strand_code=OVERALL)
    return (
        Resident.objects.filter(
            Q(organisation_id=council.pk) | Q(organisation__council_id=council.pk)
        )
        .annotate(level=Subquery(overall.values("level")[:1]))
        .values_list("ward__name", "lsoa_id", "level")
    )


def current_datasets() -> list[IndicatorDataset]:
    """The newest vintage of each LSOA 2021 dataset."""
    newest: dict[str, IndicatorDataset] = {}
    for record in IndicatorDataset.objects.filter(geography="lsoa21").order_by("code", "-vintage"):
        newest.setdefault(record.code, record)
    return list(newest.values())


def council_areas(council: Organisation) -> QuerySet[AreaGeography]:
    return AreaGeography.objects.filter(
        vintage=2021, local_authority_code=council.local_authority_code
    ).order_by("code")


def area_values(codes: list[str] | None, datasets: list[IndicatorDataset]) -> AreaData:
    """area -> indicator -> value across the datasets (all England areas when codes is None)."""
    values: dict[str, dict[str, float | None]] = defaultdict(dict)
    rows = AreaIndicators.objects.filter(dataset__in=datasets)
    if codes is not None:
        rows = rows.filter(area_code__in=codes)
    for code, data in rows.values_list("area_code", "values").iterator(chunk_size=5000):
        if code.startswith("E"):
            values[code].update(data)
    return AreaData(dict(values), datasets)


def base_ranges(
    base: str, council: Organisation, datasets: list[IndicatorDataset], indicators: list[str]
) -> dict[str, Range | None] | None:
    """Min-max ranges for the scaling base; None if this base's data is not loaded."""
    if base == "council":
        codes: list[str] | None = list(council_areas(council).values_list("code", flat=True))
    elif base == "region":
        region = (
            AreaGeography.objects.filter(
                vintage=2021, local_authority_code=council.local_authority_code
            )
            .values_list("combined_authority_code", flat=True)
            .first()
        )
        if not region:
            return None
        codes = list(
            AreaGeography.objects.filter(vintage=2021, combined_authority_code=region).values_list(
                "code", flat=True
            )
        )
    elif base == "england":
        if not datasets or min(d.areas for d in datasets) < ENGLAND_LSOA21:
            return None
        key = "targeting-england-" + "-".join(f"{d.pk}:{d.source_sha256[:12]}" for d in datasets)
        found: dict[str, Range | None] | None = cache.get(key)
        if found is None:
            found = ranges(area_values(None, datasets).values, indicators)
            cache.set(key, found, 24 * 3600)
        return {code: found.get(code) for code in indicators}
    else:
        return None
    return ranges(area_values(codes, datasets).values, indicators)


def plans_for(council: Organisation) -> QuerySet[TargetingPlan]:
    return TargetingPlan.objects.filter(council=council).select_related("run", "created_by")


def categories_2021() -> dict[str, str]:
    """Internet User Classification group per 2021 LSOA, through the 2011 best fit."""
    found: dict[str, str] = {}
    for code, category in (
        AreaGeography.objects.filter(vintage=2011)
        .exclude(category="")
        .values_list("best_fit_2021", "category")
    ):
        found.setdefault(code, category)
    return found


def england_medians(datasets: list[IndicatorDataset]) -> dict[str, float]:
    """The median of each indicator over England, if England-wide data is loaded (cached)."""
    if not datasets or min(d.areas for d in datasets) < ENGLAND_LSOA21:
        return {}
    key = "targeting-england-medians-" + "-".join(
        f"{d.pk}:{d.source_sha256[:12]}" for d in datasets
    )
    found: dict[str, float] | None = cache.get(key)
    if found is None:
        found = medians(area_values(None, datasets).values)
        cache.set(key, found, 24 * 3600)
    return found


def area_get(*, code: str) -> AreaGeography:
    """A 2021 small area (LSOA) by its code; Http404 if there is none."""
    return get_object_or_404(AreaGeography, vintage=2021, code=code)


def areas_by_code(codes: list[str]) -> dict[str, AreaGeography]:
    """The 2021 small areas with these codes, by code."""
    return {a.code: a for a in AreaGeography.objects.filter(vintage=2021, code__in=codes)}


def council_area_values(
    council: Organisation, datasets: list[IndicatorDataset]
) -> dict[str, dict[str, float | None]]:
    """area -> indicator -> value for the council's areas."""
    codes = list(council_areas(council).values_list("code", flat=True))
    return area_values(codes, datasets).values


@dataclass
class Ranking:
    """The council's areas scored by one method: a row per area (result, area, category,
    explanation), the ward summary, and the datasets and base the scores rest on."""

    scoring: Scoring
    rows: list[dict[str, Any]]
    wards: list[WardSummary]
    datasets: list[IndicatorDataset]
    base_label: str


def council_ranking(*, council: Organisation, method: Method, base: str) -> Ranking:
    """Score the council's areas by `method`, scaled over `base` (a key of BASES);
    MethodError says what is missing or wrong."""
    datasets = current_datasets()
    if not datasets:
        raise MethodError("No area data is loaded: run manage.py load_reference_data.")
    areas = {a.code: a for a in council_areas(council)}
    values = area_values(list(areas), datasets).values
    spans = base_ranges(base, council, datasets, method.indicator_codes)
    if spans is None:
        raise MethodError(
            "England-wide data is not loaded, so areas cannot be scaled against England: "
            "import it with manage.py import_area_data, or choose another base."
        )
    base_label = BASES[base]
    scoring = score_areas(method, INDICATORS, values, base=spans, base_label=base_label)
    categories = categories_2021()
    total = len(scoring.scored)
    rows: list[dict[str, Any]] = []
    for result in scoring.areas:
        area = areas.get(result.area)
        rows.append(
            {
                "result": result,
                "area": area,
                "category": categories.get(result.area, ""),
                "explanation": explain(result, total, category=categories.get(result.area)),
            }
        )
    wards = ward_summary(
        (
            (row["area"].ward_name or "Unknown ward", row["result"])
            for row in rows
            if row["area"] is not None
        ),
        total,
    )
    return Ranking(scoring, rows, wards, datasets, base_label)


def datasets_imported() -> list[IndicatorDataset]:
    """Every dataset vintage held, for the import page."""
    return list(IndicatorDataset.objects.order_by("code", "-vintage"))
