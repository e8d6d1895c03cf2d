"""Matching residents and opportunities: who qualifies, who is one step away, and in what order."""

from __future__ import annotations

import random

import pytest

from skillspassport.employers.analytics import matching as matching_module
from skillspassport.employers.analytics.matching import (
    LEVELS,
    Opportunity,
    ResidentIndex,
    ResidentProfile,
    Shortfall,
    assess,
    counts_for_residents,
    distance_km,
    for_resident,
)

STRANDS = ("digital", "numeracy", "literacy", "communication")
BOOTLE = (53.4466, -2.9926)
SOUTHPORT = (53.6458, -3.0101)


def resident(rid=1, fit=(), where=BOOTLE, consent=True, **levels):
    return ResidentProfile(rid, levels, frozenset(fit), where, consent)


def opportunity(oid=1, where=BOOTLE, areas=(), **minimum):
    return Opportunity(oid, minimum, frozenset(areas), where)


@pytest.mark.parametrize(
    ("levels", "outcome"),
    [
        ({"digital": "silver", "numeracy": "bronze"}, "qualifies"),
        ({"digital": "gold", "numeracy": "gold"}, "qualifies"),
        ({"digital": "bronze", "numeracy": "bronze"}, Shortfall("digital", "bronze", "silver")),
        ({"digital": "silver"}, Shortfall("numeracy", "", "bronze")),
        ({"digital": "", "numeracy": "bronze"}, None),  # two levels short
        ({"digital": "bronze"}, None),  # short in two strands
    ],
)
def test_qualifies_one_step_away_or_not(levels, outcome):
    match = assess(resident(**levels), opportunity(digital="silver", numeracy="bronze"))
    if outcome is None:
        assert match is None
    elif outcome == "qualifies":
        assert match is not None
        assert match.qualifies
    else:
        assert match is not None
        assert match.shortfall == outcome


def test_distance_is_great_circle_km():
    assert distance_km(BOOTLE, SOUTHPORT) == pytest.approx(22.2, abs=0.3)
    assert distance_km(BOOTLE, None) is None


def test_for_resident_splits_now_and_next_nearest_first():
    person = resident(digital="silver", numeracy="bronze")
    offers = [
        opportunity(1, SOUTHPORT, digital="bronze"),
        opportunity(2, BOOTLE, digital="bronze"),
        opportunity(3, BOOTLE, digital="gold"),
        opportunity(4, BOOTLE, digital="gold", numeracy="gold"),
    ]
    now, next_step = for_resident(person, offers)
    assert [m.opportunity_id for m in now] == [2, 1]
    assert [(m.opportunity_id, m.shortfall) for m in next_step] == [
        (3, Shortfall("digital", "silver", "gold"))
    ]


def test_qualifying_residents_ranked_by_fit_then_distance_and_only_with_consent():
    people = [
        resident(1, fit=("digital.communicating",), where=SOUTHPORT, digital="silver"),
        resident(2, fit=(), where=BOOTLE, digital="gold"),
        resident(3, fit=("digital.communicating",), where=BOOTLE, digital="silver"),
        resident(4, fit=("digital.communicating",), where=BOOTLE, consent=False, digital="gold"),
        resident(5, digital="bronze"),
    ]
    index = ResidentIndex.build(people, STRANDS)
    offer = opportunity(areas=("digital.communicating", "digital.transacting"), digital="silver")
    matches = index.qualifying(offer)
    assert [m.resident_id for m in matches] == [3, 1, 2]
    assert matches[0].fit == 0.5
    assert index.qualifying(offer, limit=1)[0].resident_id == 3


def test_index_agrees_with_a_plain_nested_loop():
    rng = random.Random(7)
    people = [
        ResidentProfile(
            i,
            {s: rng.choice(LEVELS) for s in STRANDS},
            frozenset(rng.sample(["a", "b", "c", "d"], rng.randint(0, 3))),
            (53.4 + rng.random() / 5, -3.0 + rng.random() / 5),
            rng.random() < 0.7,
        )
        for i in range(400)
    ]
    offers = [
        Opportunity(
            j,
            {s: rng.choice(LEVELS) for s in rng.sample(STRANDS, 2)},
            frozenset(rng.sample(["a", "b", "c", "d"], 2)),
            (53.4 + rng.random() / 5, -3.0 + rng.random() / 5),
        )
        for j in range(30)
    ]
    index = ResidentIndex.build(people, STRANDS)
    for offer in offers:
        naive = sorted(
            (
                m.resident_id
                for p in people
                if p.may_be_put_forward
                if (m := assess(p, offer)) is not None and m.qualifies
            ),
        )
        assert sorted(m.resident_id for m in index.qualifying(offer)) == naive


@pytest.mark.parametrize("scan_below", [0, 2000])
@pytest.mark.parametrize("limit", [1, 5, 20, 150])
def test_top_matches_by_grid_search_equal_a_full_sort(limit, scan_below, monkeypatch):
    """The nearest-first search returns exactly the head of the fully sorted list — across
    fit tiers, with residents who have no location, and with tied distances."""
    monkeypatch.setattr(matching_module, "SCAN_BELOW", scan_below)
    rng = random.Random(limit)
    areas = ["a", "b", "c", "d"]
    spots = [(53.35 + rng.random() * 0.35, -3.1 + rng.random() * 0.3) for _ in range(40)]
    people = [
        ResidentProfile(
            i,
            {s: rng.choice(LEVELS) for s in STRANDS},
            frozenset(rng.sample(areas, rng.randint(0, 3))),
            None if rng.random() < 0.05 else rng.choice(spots),  # shared spots make ties
            rng.random() < 0.8,
        )
        for i in range(3000)
    ]
    index = ResidentIndex.build(people, STRANDS)
    for j in range(25):
        offer = Opportunity(
            j,
            {s: rng.choice(LEVELS[:3]) for s in rng.sample(STRANDS, 2)},
            frozenset(rng.sample(areas, rng.randint(0, 3))),
            None if j == 0 else (53.35 + rng.random() * 0.35, -3.1 + rng.random() * 0.3),
        )
        everyone = index.qualifying(offer)
        assert index.qualifying(offer, limit=limit) == everyone[:limit]
        assert index.count_qualifying(offer) == len(everyone)


def test_counts_for_residents_agree_with_a_nested_loop():
    rng = random.Random(11)
    people = [ResidentProfile(i, {s: rng.choice(LEVELS) for s in STRANDS}) for i in range(300)]
    offers = [
        Opportunity(j, {s: rng.choice(LEVELS[1:]) for s in rng.sample(STRANDS, rng.randint(0, 3))})
        for j in range(80)
    ]
    counts = counts_for_residents(people, offers, STRANDS)
    for person in people:
        now, next_step = for_resident(person, offers)
        assert counts[person.id] == (len(now), len(next_step))
