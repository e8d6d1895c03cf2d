"""Area targeting at England scale: read the national files, score every LSOA with each preset,
and compare the DERI-style preset with the published DERI v1.6 scores.

Needs the national files (the `../shared/data` folder beside the repository, or --data DIR);
nothing here is used by the app at run time.
"""

from __future__ import annotations

import csv
import statistics
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

from skillspassport.targeting import readers
from skillspassport.targeting.analytics.presets import INDICATORS, PRESETS
from skillspassport.targeting.analytics.risk import score_areas

LSOA21_FILES = {
    code: path
    for code, path in readers.NATIONAL_FILES.items()
    if readers.DATASETS[code].geography == "lsoa21"
}
DERI = "deri/DERI_v1.6_nation_level_scores_england_lsoa11_(via_DEPAHRI).csv"
BEST_FIT = "lookups/LSOA11_to_LSOA21_to_LAD22_best_fit_Lookup_EW_v2.csv"
SEFTON = "E08000014"


def read_england(data: Path) -> dict[str, dict[str, float | None]]:
    parts = [readers.read(readers.DATASETS[k], data / f) for k, f in LSOA21_FILES.items()]
    merged = readers.merge(*parts)
    return {code: v for code, v in merged.items() if code.startswith("E")}


def _ranks(values: Sequence[float]) -> list[float]:
    """Average ranks (ties share the mean of their positions)."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    return statistics.correlation(_ranks(xs), _ranks(ys))


def deri_comparison(
    data: Path, ours: Mapping[str, float], local_authority: Mapping[str, str]
) -> dict[str, float]:
    """Spearman correlation of our DERI-style scores with published DERI v1.6 (LSOA 2011,
    carried to LSOA 2021 by the ONS best-fit lookup; a 2021 LSOA made from several 2011 ones
    takes their mean)."""
    fit: dict[str, str] = {}
    with open(data / BEST_FIT, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            fit[row["LSOA11CD"]] = row["LSOA21CD"]
    published: dict[str, list[float]] = defaultdict(list)
    with open(data / DERI, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["lsoa11_code"] in fit and row["deri_score_national"]:
                published[fit[row["lsoa11_code"]]].append(float(row["deri_score_national"]))
    pairs = [(ours[c], statistics.fmean(v)) for c, v in published.items() if c in ours]
    sefton = [
        (ours[c], statistics.fmean(v))
        for c, v in published.items()
        if c in ours and local_authority.get(c) == SEFTON
    ]
    return {
        "deri_spearman_england": spearman([a for a, _ in pairs], [b for _, b in pairs]),
        "deri_pairs_england": len(pairs),
        "deri_spearman_sefton": spearman([a for a, _ in sefton], [b for _, b in sefton]),
        "deri_pairs_sefton": len(sefton),
    }


def run(data: Path, repeats: int = 5) -> dict[str, float]:
    results: dict[str, float] = {}
    reads = []
    for _ in range(repeats):
        started = time.perf_counter()
        values = read_england(data)
        reads.append(time.perf_counter() - started)
    results["areas"] = len(values)
    results["read_s_median"] = statistics.median(reads)
    for code, method in PRESETS.items():
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            scoring = score_areas(method, INDICATORS, values, base_label="England")
            times.append(time.perf_counter() - started)
        results[f"score_{code}_s_median"] = statistics.median(times)
        results[f"score_{code}_scored"] = len(scoring.scored)
        results[f"score_{code}_to_read_ratio"] = statistics.median(times) / results["read_s_median"]
    deri = score_areas(PRESETS["deri"], INDICATORS, values, base_label="England")
    ours = {a.area: a.score for a in deri.scored if a.score is not None}
    local_authority: dict[str, str] = {}
    with open(data / "lookups/lookup_lsoa21_ward24_ltla24.csv", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            local_authority[row["lsoa21_code"]] = row["ltla24_code"]
    results |= deri_comparison(data, ours, local_authority)
    return results


def print_table(results: Mapping[str, float]) -> None:
    print(f"\nArea targeting, England ({results['areas']:,.0f} LSOAs 2021), medians")
    print("| measure | seconds | ÷ reading the files |")
    print("|---|---:|---:|")
    print(f"| read and check the five national files | {results['read_s_median']:.3f} | 1 |")
    for code, method in PRESETS.items():
        print(
            f"| score every LSOA: {method.label} ({results[f'score_{code}_scored']:,.0f} scored) "
            f"| {results[f'score_{code}_s_median']:.3f} "
            f"| {results[f'score_{code}_to_read_ratio']:.2f} |"
        )
    print(
        f"\nDERI-style preset against published DERI v1.6 (Spearman): England "
        f"{results['deri_spearman_england']:.3f} over {results['deri_pairs_england']:,.0f} LSOAs; "
        f"Sefton {results['deri_spearman_sefton']:.3f} over {results['deri_pairs_sefton']:,.0f}."
    )
