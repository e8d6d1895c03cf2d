"""The level rules, case by case, on a small framework (pure; no database)."""

from __future__ import annotations

import copy

import pytest

from skillspassport.skills.analytics.levels import (
    DescriptorSpec,
    EvidenceFact,
    FrameworkSpec,
    StrandSpec,
    compute_passport,
    validate_rules,
)

FS = (("E1", "Entry 1"), ("E2", "Entry 2"), ("E3", "Entry 3"), ("L1", "Level 1"), ("L2", "Level 2"))
NUM_AREAS = ("num.a", "num.b")
DIG_AREAS = ("dig.x", "dig.y")


def _framework() -> FrameworkSpec:
    strands = {
        "digital": StrandSpec(
            "digital",
            "Digital",
            (("foundation", "Foundation"), ("life", "For life"), ("work", "For work")),
            (("dig.f", "Foundation"), ("dig.x", "Area X"), ("dig.y", "Area Y")),
        ),
        "numeracy": StrandSpec(
            "numeracy", "Numeracy", FS, (("num.a", "Number"), ("num.b", "Data"))
        ),
    }
    descriptors = [
        DescriptorSpec("F1", "digital", "dig.f", "foundation"),
        DescriptorSpec("F2", "digital", "dig.f", "foundation"),
        DescriptorSpec("X-L", "digital", "dig.x", "life"),
        DescriptorSpec("X-W", "digital", "dig.x", "work"),
        DescriptorSpec("Y-L", "digital", "dig.y", "life"),
        DescriptorSpec("Y-W", "digital", "dig.y", "work"),
    ]
    for area in NUM_AREAS:
        for step, _ in FS:
            descriptors.append(DescriptorSpec(f"{area}-{step}", "numeracy", area, step))
    return FrameworkSpec("test", strands, {d.code: d for d in descriptors})


RULES = {
    "awards": [{"code": "bronze"}, {"code": "silver"}, {"code": "gold"}],
    "strands": {
        "digital": {
            "bronze": [
                {
                    "require": "all",
                    "level": "foundation",
                    "areas": ["dig.f"],
                    "summary": "all foundation",
                }
            ],
            "silver": [
                {
                    "require": "each_area",
                    "min_level": "life",
                    "count": 1,
                    "areas": list(DIG_AREAS),
                    "summary": "life in each area",
                }
            ],
            "gold": [
                {
                    "require": "each_area",
                    "min_level": "work",
                    "count": 1,
                    "areas": list(DIG_AREAS),
                    "summary": "work in each area",
                }
            ],
        },
        "numeracy": {
            "bronze": [
                {
                    "require": "each_area",
                    "min_level": "E3",
                    "count": 1,
                    "areas": list(NUM_AREAS),
                    "summary": "Entry 3",
                }
            ],
            "silver": [
                {
                    "require": "each_area",
                    "min_level": "L1",
                    "count": 1,
                    "areas": list(NUM_AREAS),
                    "summary": "Level 1",
                }
            ],
            "gold": [
                {
                    "require": "each_area",
                    "min_level": "L2",
                    "count": 1,
                    "areas": list(NUM_AREAS),
                    "summary": "Level 2",
                }
            ],
        },
    },
    "overall": {"method": "lowest_of", "strands": ["digital", "numeracy"]},
}

FRAMEWORK = _framework()


def _levels(*codes: str, unverified: tuple[str, ...] = (), count_self: bool = False):
    facts = [EvidenceFact(c, True) for c in codes] + [EvidenceFact(c, False) for c in unverified]
    return compute_passport(FRAMEWORK, RULES, facts, count_self_assessed=count_self)


def _num(step: str) -> tuple[str, ...]:
    return tuple(f"{a}-{step}" for a in NUM_AREAS)


DIG_BRONZE = ("F1", "F2")
DIG_SILVER = (*DIG_BRONZE, "X-L", "Y-L")
DIG_GOLD = (*DIG_SILVER, "X-W", "Y-W")


def test_rules_fit_framework():
    assert validate_rules(FRAMEWORK, RULES) == []


def test_no_evidence_is_no_level():
    result = _levels()
    assert result.strands["digital"].level == ""
    assert result.overall == ""
    assert result.overall_next == "bronze"


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (("F1",), ""),  # one foundation skill short of Bronze
        (DIG_BRONZE, "bronze"),
        ((*DIG_BRONZE, "X-L"), "bronze"),  # life skill in one area only
        (DIG_SILVER, "silver"),
        ((*DIG_SILVER, "X-W"), "silver"),  # work skill in one area only
        (DIG_GOLD, "gold"),
        (("X-L", "Y-L", "X-W", "Y-W"), ""),  # higher skills without the foundation: cumulative
        (("F1", "F2", "X-W", "Y-W"), "gold"),  # a work skill is also at or above "life"
    ],
)
def test_digital_boundaries(codes, expected):
    assert _levels(*codes).strands["digital"].level == expected


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (_num("E2"), ""),  # Entry 2 everywhere is below Bronze
        (("num.a-E3",), ""),  # Entry 3 in one area only
        (_num("E3"), "bronze"),
        ((*_num("E3"), "num.a-L1"), "bronze"),
        (_num("L1"), "silver"),  # Level 1 everywhere also meets Entry 3
        ((*_num("L1"), "num.b-L2"), "silver"),
        (_num("L2"), "gold"),
        (("num.a-L2", "num.b-E3"), "bronze"),  # mixed: lowest area decides
    ],
)
def test_numeracy_boundaries(codes, expected):
    assert _levels(*codes).strands["numeracy"].level == expected


def test_overall_is_lowest_strand():
    assert _levels(*DIG_GOLD, *_num("E3")).overall == "bronze"
    assert _levels(*DIG_GOLD, *_num("L2")).overall == "gold"
    assert _levels(*DIG_GOLD).overall == ""


def test_unverified_evidence_does_not_count_by_default():
    assert _levels(unverified=DIG_BRONZE).strands["digital"].level == ""
    assert _levels("F1", unverified=("F2",)).strands["digital"].level == ""


def test_council_can_count_self_assessed_evidence():
    assert _levels(unverified=DIG_BRONZE, count_self=True).strands["digital"].level == "bronze"


def test_what_is_needed_names_the_missing_areas():
    result = _levels(*DIG_BRONZE, "X-L")
    digital = result.strands["digital"]
    assert digital.next_award == "silver"
    assert [n.detail for n in digital.needed] == ["still needed in: Area Y"]
    assert [n.detail for n in _levels("F1").strands["digital"].needed] == ["1 of 2 done"]


def test_overall_needs_lists_only_the_lowest_strands():
    result = _levels(*DIG_SILVER, *_num("E3"))
    assert result.overall == "bronze"
    assert result.overall_next == "silver"
    assert [n.summary for n in result.overall_needed] == ["Numeracy: Level 1"]


def test_gold_has_no_next_level():
    result = _levels(*DIG_GOLD, *_num("L2"))
    assert result.overall_next is None
    assert result.strands["digital"].next_award is None


def test_new_framework_version_keeps_old_evidence_by_code_or_replacement():
    old = dict(FRAMEWORK.descriptors)
    renamed = DescriptorSpec("F2-NEW", "digital", "dig.f", "foundation", replaces=("F2",))
    new_descriptors = {c: d for c, d in old.items() if c != "F2"} | {"F2-NEW": renamed}
    new = FrameworkSpec("test-2", FRAMEWORK.strands, new_descriptors)
    facts = [EvidenceFact("F1", True), EvidenceFact("F2", True), EvidenceFact("GONE", True)]
    result = compute_passport(new, RULES, facts)
    assert result.strands["digital"].level == "bronze"
    assert result.not_counted == ("GONE",)


def test_new_framework_version_can_lower_a_level_when_a_skill_is_added():
    extra = DescriptorSpec("F3", "digital", "dig.f", "foundation")
    new = FrameworkSpec("test-3", FRAMEWORK.strands, dict(FRAMEWORK.descriptors) | {"F3": extra})
    facts = [EvidenceFact(c, True) for c in DIG_BRONZE]
    assert compute_passport(new, RULES, facts).strands["digital"].level == ""


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda r: r["strands"]["digital"]["bronze"][0].update(level="nope"), "not a step"),
        (lambda r: r["strands"]["digital"]["silver"][0].update(areas=["dig.zzz"]), "unknown area"),
        (lambda r: r["strands"].update(astrology={}), "unknown strand"),
        (lambda r: r["strands"]["numeracy"]["gold"][0].update(count=0), "'count'"),
        (lambda r: r["strands"]["numeracy"]["gold"][0].update(require="some"), "'require'"),
        (lambda r: r["overall"].update(method="average"), "lowest_of"),
    ],
)
def test_bad_rules_are_reported(mutate, message):
    rules = copy.deepcopy(RULES)
    mutate(rules)
    errors = validate_rules(FRAMEWORK, rules)
    assert any(message in e for e in errors), errors
