"""Worked examples for the targeting summaries: wards, one area against its council, medians."""

from __future__ import annotations

import pytest

from skillspassport.targeting.analytics.risk import AreaScore, Component, Indicator, Method
from skillspassport.targeting.analytics.summary import (
    WardSummary,
    area_scores,
    indicator_comparisons,
    medians,
    top_fifth_cut,
    ward_summary,
)

BAD = Indicator("bad", "Bad thing")
GOOD = Indicator("good", "Good thing", higher_is_worse=False)
INDS = {"bad": BAD, "good": GOOD}
ONLY_BAD = Method("bad-only", "Bad only", (Component("a", "A", {"bad": 1}),), {"a": 1})


def result(area: str, score: float | None, rank: int | None) -> AreaScore:
    return AreaScore(area, score, rank, {}, {}, ())


def test_the_top_fifth_of_ten_areas_is_the_first_two_and_never_less_than_one():
    assert top_fifth_cut(10) == 2
    assert top_fifth_cut(12) == 2  # 2.4 rounds to 2
    assert top_fifth_cut(13) == 3  # 2.6 rounds to 3
    assert top_fifth_cut(2) == 1
    assert top_fifth_cut(0) == 1


def test_wards_by_mean_score_with_their_areas_in_the_top_fifth():
    # Ten areas ranked; the top fifth is ranks 1 and 2.
    results = [
        ("Derby", result("a1", 9.0, 1)),
        ("Derby", result("a2", 6.0, 3)),
        ("Linacre", result("a3", 8.0, 2)),
        ("Linacre", result("a4", 8.0, 2)),  # equal scores share a rank
        ("Linacre", result("a5", None, None)),  # not scored: counted, not averaged
        ("Ainsdale", result("a6", 1.0, 10)),
    ]
    assert ward_summary(results, 10) == [
        WardSummary("Linacre", areas=3, mean=8.0, top_fifth=2),
        WardSummary("Derby", areas=2, mean=7.5, top_fifth=1),
        WardSummary("Ainsdale", areas=1, mean=1.0, top_fifth=0),
    ]


def test_a_ward_scoring_zero_comes_before_wards_with_no_score():
    results = [
        ("Zeta", result("a1", 0.0, 2)),
        ("Alpha", result("a2", None, None)),
        ("Mid", result("a3", 4.0, 1)),
    ]
    assert [w.ward for w in ward_summary(results, 2)] == ["Mid", "Zeta", "Alpha"]
    assert ward_summary(results, 2)[-1].mean is None


def test_equal_means_are_listed_by_ward_name():
    results = [("Netherton", result("a1", 5.0, 1)), ("Bootle", result("a2", 5.0, 1))]
    assert [w.ward for w in ward_summary(results, 2)] == ["Bootle", "Netherton"]


def test_one_area_beside_its_council_and_england():
    council = {
        "a1": {"bad": 1.0, "good": 4.0},
        "a2": {"bad": 2.0, "good": None},
        "a3": {"bad": 3.0, "good": 6.0},
        "a4": {"bad": 10.0, "good": 8.0},
    }
    rows = indicator_comparisons(council["a3"], council, [BAD, GOOD], {"bad": 2.5})
    bad, good = rows
    assert (bad.indicator, bad.value) == (BAD, 3.0)
    assert bad.council_median == 2.5  # of 1, 2, 3, 10
    assert bad.england_median == 2.5
    assert bad.share_below == 0.5  # a1 and a2 of four areas
    assert good.council_median == 6.0  # of 4, 6, 8: the missing value is left out
    assert good.england_median is None
    assert good.share_below == pytest.approx(1 / 3)


def test_an_indicator_missing_for_the_area_or_the_council_is_not_compared():
    rows = indicator_comparisons({"good": 5.0}, {"a1": {"good": None}}, [BAD, GOOD], {})
    assert [(r.value, r.council_median, r.share_below) for r in rows] == [
        (None, None, None),
        (5.0, None, None),
    ]


def test_area_scores_under_each_method_against_the_councils_areas():
    council = {"a1": {"bad": 0.0}, "a2": {"bad": 5.0}, "a3": {"bad": 10.0}}
    [(method, found, explanation)] = area_scores("a2", council, [ONLY_BAD], INDS)
    assert method is ONLY_BAD
    assert (found.area, found.score, found.rank) == ("a2", 5.0, 2)
    assert "2nd" in explanation
    assert area_scores("elsewhere", council, [ONLY_BAD], INDS) == []


def test_medians_leave_missing_values_out():
    values = {
        "a1": {"bad": 1.0, "good": None},
        "a2": {"bad": 4.0, "good": 2.0},
        "a3": {"bad": 3.0},
    }
    assert medians(values) == {"bad": 3.0, "good": 2.0}
    assert medians({}) == {}
