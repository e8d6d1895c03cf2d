"""Matching 100,000 residents against 5,000 opportunities, against a naive nested loop.

Synthetic but shaped like the scheme: strand levels drawn with the demo's mix, evidenced skill
areas following the levels (as the framework makes them), homes and sites at real Sefton
postcode centroids from the shipped lookup, 85% consenting to be put forward. Opportunities ask
for a minimum in one or two strands and value up to four skill areas.

Two questions are timed, each side by side with a nested loop over the same data in the same
run: for every opportunity, its 20 best qualifying residents; and for every resident, how many
opportunities they qualify for now and how many are one step away. The nested loop is timed on
a sample (and checked to give the same answers there), then scaled to the whole set.
"""

from __future__ import annotations

import csv
import gzip
import heapq
import math
import random
import statistics
import time
from pathlib import Path

from skillspassport.employers.analytics import matching
from skillspassport.employers.analytics.matching import (
    LEVELS,
    Opportunity,
    ResidentIndex,
    ResidentProfile,
    assess,
    counts_for_residents,
)

ROOT = Path(__file__).resolve().parent.parent
POSTCODES = ROOT / "skillspassport" / "areas" / "data" / "lcr_postcodes.csv.gz"
STRANDS = ("digital", "numeracy", "literacy", "communication")
AREAS = {
    "digital": ["foundation", "communicating", "handling", "transacting", "problems", "safety"],
    "numeracy": ["number", "measures", "data"],
    "literacy": ["reading", "writing", "speaking"],
    "communication": ["listening", "speaking", "writing", "teamwork"],
}
LEVEL_WEIGHTS = [30, 35, 25, 10]  # none, bronze, silver, gold
TOP = 20


def sefton_centroids() -> list[tuple[float, float]]:
    with gzip.open(POSTCODES, "rt", newline="") as handle:
        return [
            (float(row["latitude"]), float(row["longitude"]))
            for row in csv.DictReader(handle)
            if row["lad_code"] == "E08000014" and row["is_live"] == "1" and row["latitude"]
        ]


def make_data(
    residents: int, opportunities: int, seed: int = 2026
) -> tuple[list[ResidentProfile], list[Opportunity]]:
    rng = random.Random(seed)
    places = sefton_centroids()
    people = []
    for i in range(residents):
        levels = {s: rng.choices(LEVELS, LEVEL_WEIGHTS)[0] for s in STRANDS}
        areas = set()
        for strand, level in levels.items():
            reach = matching.RANK[level] * 2 + rng.randint(0, 1)
            areas.update(f"{strand}.{a}" for a in AREAS[strand][:reach])
        people.append(
            ResidentProfile(i, levels, frozenset(areas), rng.choice(places), rng.random() < 0.85)
        )
    all_areas = [f"{s}.{a}" for s, names in AREAS.items() for a in names]
    offers = [
        Opportunity(
            j,
            {
                s: rng.choices(LEVELS[1:], [50, 35, 15])[0]
                for s in rng.sample(STRANDS, rng.randint(1, 2))
            },
            frozenset(rng.sample(all_areas, rng.randint(0, 4))),
            rng.choice(places),
        )
        for j in range(opportunities)
    ]
    return people, offers


def naive_top(people: list[ResidentProfile], offer: Opportunity) -> list[matching.Match]:
    """The nested loop: assess every resident, keep the best TOP."""
    found = []
    for person in people:
        if not person.may_be_put_forward:
            continue
        match = assess(person, offer)
        if match is not None and match.qualifies:
            found.append(match)
    return heapq.nsmallest(TOP, found, key=matching._order)


def run(residents: int = 100_000, opportunities: int = 5_000) -> dict[str, float]:
    people, offers = make_data(residents, opportunities)
    started = time.perf_counter()
    index = ResidentIndex.build(people, STRANDS)
    build_s = time.perf_counter() - started
    started = time.perf_counter()
    tops = {o.id: index.qualifying(o, limit=TOP) for o in offers}
    top_s = time.perf_counter() - started
    rng = random.Random(7)
    sample = rng.sample(offers, 20)
    per_naive = []
    for offer in sample:
        t0 = time.perf_counter()
        expected = naive_top(people, offer)
        per_naive.append(time.perf_counter() - t0)
        assert tops[offer.id] == expected, f"opportunity {offer.id}: index and loop differ"
    naive_top_s = statistics.median(per_naive) * len(offers)

    started = time.perf_counter()
    counts = counts_for_residents(people, offers, STRANDS)
    counts_s = time.perf_counter() - started
    person_sample = rng.sample(people, 100)
    t0 = time.perf_counter()
    for person in person_sample:
        now, nearly = matching.for_resident(person, offers)
        assert counts[person.id] == (len(now), len(nearly))
    naive_counts_s = (time.perf_counter() - t0) / len(person_sample) * len(people)
    qualifying_pairs = sum(index.count_qualifying(o) for o in sample) / len(sample) * len(offers)
    return {
        "residents": residents,
        "opportunities": opportunities,
        "groups": len(index.groups),
        "qualifying_pairs_est": qualifying_pairs,
        "index_build_s": build_s,
        "top20_all_opportunities_s": top_s,
        "naive_top20_all_opportunities_s": naive_top_s,
        "top20_speedup": naive_top_s / top_s if top_s else math.inf,
        "counts_all_residents_s": counts_s,
        "naive_counts_all_residents_s": naive_counts_s,
        "counts_speedup": naive_counts_s / counts_s if counts_s else math.inf,
    }


def print_table(result: dict[str, float]) -> None:
    print("\nMatching (one process, pure Python)")
    print(
        f"  residents x opportunities           {result['residents']:,.0f} x "
        f"{result['opportunities']:,.0f}"
    )
    print(f"  resident groups (levels x skills)   {result['groups']:,.0f}")
    print(f"  qualifying pairs (estimated)        {result['qualifying_pairs_est']:,.0f}")
    print(f"  build the index, s                  {result['index_build_s']:.2f}")
    print(
        f"  top {TOP} residents for every opportunity: {result['top20_all_opportunities_s']:.1f} s "
        f"vs nested loop {result['naive_top20_all_opportunities_s']:,.0f} s "
        f"(x {result['top20_speedup']:,.0f})"
    )
    print(
        f"  now / one-step counts for every resident: {result['counts_all_residents_s']:.2f} s "
        f"vs nested loop {result['naive_counts_all_residents_s']:,.0f} s "
        f"(x {result['counts_speedup']:,.0f})"
    )
