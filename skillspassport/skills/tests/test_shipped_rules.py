"""Every level boundary of every strand under the shipped framework and its default rules.

Evidence sets are written out by descriptor code, so a change to the framework file that moves
a boundary fails here and has to be made on purpose.
"""

from __future__ import annotations

import pytest

from skillspassport.skills.analytics.levels import EvidenceFact, compute_passport
from skillspassport.skills.framework_files import (
    framework_files,
    read_framework_file,
    spec_from_document,
)

DOC, _SHA = read_framework_file(framework_files()[0])
SPEC = spec_from_document(DOC)
RULES = {k: v for k, v in DOC["level_rules"].items() if k != "count_self_assessed"}

FOUNDATION = [f"dig.fnd.{n}" for n in range(1, 9)]
DIGITAL_AREAS = ["com", "inf", "trn", "prb", "saf"]
LIFE = [f"dig.{a}.l1" for a in DIGITAL_AREAS]
WORK = [f"dig.{a}.w1" for a in DIGITAL_AREAS]


def level(strand, codes, *, verified=True):
    facts = [EvidenceFact(code, verified) for code in codes]
    return compute_passport(SPEC, RULES, facts).strands[strand].level


def fs_pair(prefix, areas, step):
    """Both descriptors at `step` (e.g. "e3") in each of the areas."""
    return [f"{prefix}.{area}.{step}{x}" for area in areas for x in "ab"]


NUM = ("num", ["num", "mea", "dat"])
LIT = ("lit", ["rea", "wri", "spk"])
COM = ("com", ["lis", "spk", "wri", "wwo"])


def test_shipped_framework_has_the_national_structure():
    counts = {}
    for d in SPEC.descriptors.values():
        counts[(d.strand, d.level)] = counts.get((d.strand, d.level), 0) + 1
    assert counts[("digital", "foundation")] == 8
    assert counts[("digital", "life")] == 26
    assert counts[("digital", "work")] == 20
    assert [code for code, _ in SPEC.strands["numeracy"].scale] == ["E1", "E2", "E3", "L1", "L2"]
    assert len(SPEC.strands["digital"].areas) == 6  # foundation and the five areas


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        ([], ""),
        (FOUNDATION[:7], ""),  # seven of eight foundation skills
        (FOUNDATION, "bronze"),
        ([*FOUNDATION, *LIFE[:4]], "bronze"),  # life skills in four of five areas
        ([*FOUNDATION, *LIFE], "silver"),
        ([*LIFE, *WORK], ""),  # no foundation: nothing above counts
        ([*FOUNDATION, *WORK[:4], LIFE[4]], "silver"),  # work in four areas, life in the fifth
        ([*FOUNDATION, *WORK], "gold"),  # a work skill is also at or above "for life"
    ],
)
def test_digital_boundaries(codes, expected):
    assert level("digital", codes) == expected


@pytest.mark.parametrize(("strand", "family"), [("numeracy", NUM), ("literacy", LIT)])
@pytest.mark.parametrize(
    ("steps", "drop", "expected"),
    [
        (["e2"], 0, ""),  # Entry 2 everywhere is below Bronze
        (["e3"], 1, ""),  # one Entry 3 skill short in one area
        (["e3"], 0, "bronze"),
        (["e3", "l1"], 1, "bronze"),
        (["l1"], 0, "silver"),  # Level 1 skills count for Bronze too ("or above")
        (["l1", "l2"], 1, "silver"),
        (["l2"], 0, "gold"),
    ],
)
def test_functional_skills_boundaries(strand, family, steps, drop, expected):
    prefix, areas = family
    codes = [code for step in steps for code in fs_pair(prefix, areas, step)]
    assert level(strand, codes[: len(codes) - drop]) == expected


@pytest.mark.parametrize(
    ("steps", "drop", "expected"),
    [
        (["t1"], 1, ""),
        (["t1"], 0, "bronze"),
        (["t1", "t2"], 1, "bronze"),
        (["t2"], 0, "silver"),
        (["t2", "t3"], 1, "silver"),
        (["t3"], 0, "gold"),
    ],
)
def test_communication_boundaries(steps, drop, expected):
    prefix, areas = COM
    codes = [code for step in steps for code in fs_pair(prefix, areas, step)]
    assert level("communication", codes[: len(codes) - drop]) == expected


def test_overall_is_the_lowest_strand_and_needs_every_strand():
    bronze_everywhere = [
        *FOUNDATION,
        *fs_pair("num", NUM[1], "e3"),
        *fs_pair("lit", LIT[1], "e3"),
        *fs_pair("com", COM[1], "t1"),
    ]
    facts = [EvidenceFact(c, True) for c in bronze_everywhere]
    assert compute_passport(SPEC, RULES, facts).overall == "bronze"
    gold_but_communication = [*FOUNDATION, *WORK, *fs_pair("num", NUM[1], "l2")]
    gold_but_communication += fs_pair("lit", LIT[1], "l2")
    facts = [EvidenceFact(c, True) for c in gold_but_communication]
    result = compute_passport(SPEC, RULES, facts)
    assert result.strands["digital"].level == "gold"
    assert result.overall == ""
    assert all(s.summary.startswith("Communication") for s in result.overall_needed)


def test_self_assessed_evidence_does_not_count_by_default():
    assert DOC["level_rules"]["count_self_assessed"] is False
    assert level("digital", FOUNDATION, verified=False) == ""
