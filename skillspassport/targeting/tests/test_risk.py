"""The exclusion-risk method: scaling, weights, missing data, ranks, explanations, presets."""

from __future__ import annotations

from itertools import combinations

import pytest

from skillspassport.targeting import slices
from skillspassport.targeting.analytics.presets import INDICATORS, PRESETS
from skillspassport.targeting.analytics.risk import (
    Component,
    Indicator,
    Method,
    MethodError,
    Range,
    explain,
    ranges,
    scale,
    score_areas,
)

SEFTON = "E08000014"
INDS = {
    "bad": Indicator("bad", "Bad thing"),
    "good": Indicator("good", "Good thing", higher_is_worse=False),
}
TWO = Method(
    "two",
    "Two",
    (Component("a", "A", {"bad": 1}), Component("b", "B", {"good": 1})),
    {"a": 3, "b": 1},
)


def test_min_max_scaling_and_direction():
    span = Range(10, 30)
    assert scale(10, span, higher_is_worse=True) == 0
    assert scale(30, span, higher_is_worse=True) == 10
    assert scale(25, span, higher_is_worse=True) == 7.5
    assert scale(25, span, higher_is_worse=False) == 2.5
    assert scale(99, span, higher_is_worse=True) == 10  # outside the base: clamped
    assert scale(5, Range(5, 5), higher_is_worse=True) == 0  # no variation in the base


def test_weighted_components_and_overall():
    values = {"x": {"bad": 10, "good": 0}, "y": {"bad": 0, "good": 10}, "z": {"bad": 5, "good": 5}}
    result = {a.area: a for a in score_areas(TWO, INDS, values).areas}
    assert result["x"].components == {"a": 10, "b": 10}
    assert result["x"].score == 10
    assert result["y"].score == 0
    assert result["z"].score == pytest.approx(5)
    assert [a.area for a in score_areas(TWO, INDS, values).areas] == ["x", "z", "y"]


def test_missing_stays_missing():
    values = {"x": {"bad": 10, "good": None}, "y": {"bad": 0, "good": 10}}
    scoring = score_areas(TWO, INDS, values)
    x = next(a for a in scoring.areas if a.area == "x")
    assert x.score is None
    assert x.rank is None
    assert x.components["a"] == 10  # what can be computed still is
    assert x.components["b"] is None
    assert x.missing == ("good",)
    assert explain(x, 2) == "Not scored: no data for good."
    assert scoring.areas[-1].area == "x"  # unscored areas come last


def test_equal_scores_share_a_rank():
    values = {"p": {"bad": 1, "good": 0}, "q": {"bad": 1, "good": 0}, "r": {"bad": 0, "good": 1}}
    ranks = {a.area: a.rank for a in score_areas(TWO, INDS, values).areas}
    assert ranks == {"p": 1, "q": 1, "r": 3}


def test_scaling_base_can_be_wider_than_the_areas_scored():
    values = {"x": {"bad": 15, "good": 0}}
    base = {"bad": Range(10, 20), "good": Range(0, 10)}
    result = score_areas(TWO, INDS, values, base=base).areas[0]
    assert result.scaled == {"bad": 5, "good": 10}


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"a": -1, "b": 1}, "cannot be negative"),
        ({"a": 0, "b": 0}, "at least one weight must be more than zero"),
        ({"a": 1}, "each component"),
        ({"a": float("nan"), "b": 1}, "must be a number"),
    ],
)
def test_bad_weights_are_refused(weights, message):
    method = Method(TWO.code, TWO.label, TWO.components, weights)
    with pytest.raises(MethodError, match=message):
        score_areas(method, INDS, {"x": {"bad": 1, "good": 1}})


def test_custom_weights_keep_the_rest_of_the_method():
    custom = PRESETS["deri"].with_weights({"connectivity": 0}, {"deprivation": {"imd_score": 0}})
    assert custom.component_weights == {"demography": 1, "connectivity": 0, "deprivation": 1}
    deprivation = next(c for c in custom.components if c.code == "deprivation")
    assert deprivation.weights["imd_score"] == 0
    assert deprivation.weights["adult_skills"] == 4


def test_imd_only_reproduces_the_official_imd_2019_order_for_merseyside():
    data = slices.load("lsoa11")
    values = data.values
    assert len(values) == 989
    scoring = score_areas(PRESETS["imd"], INDICATORS, values)
    official = {a: v["imd_rank"] for a, v in values.items()}
    ours = {a.area: a.rank for a in scoring.areas}
    assert all(r is not None for r in ours.values())
    for a, b in combinations(values, 2):
        if values[a]["imd_score"] == values[b]["imd_score"]:
            assert ours[a] == ours[b]  # tied at the published precision (3 decimals)
            low, high = sorted((official[a], official[b]))
            # and no other Merseyside area comes between them in the official order
            assert not any(low < r < high for r in official.values())
        else:
            assert (ours[a] < ours[b]) == (official[a] < official[b]), (a, b)


def test_explanations_name_the_drivers_sefton():
    data = slices.load("lsoa21")
    sefton = data.for_local_authority(SEFTON)
    assert len(sefton) == 191
    scoring = score_areas(PRESETS["employment"], INDICATORS, sefton, base_label="Sefton")
    top = scoring.areas[0]
    line = explain(top, len(scoring.scored))
    assert line.startswith("1st of 191: ")
    assert "employment deprivation" in line or "income deprivation" in line
    # The most deprived Sefton areas are in Bootle (Linacre and Derby wards).
    top_wards = {data.info[a.area].ward for a in scoring.areas[:10]}
    assert top_wards & {"Linacre", "Derby"}


def test_every_preset_scores_every_shipped_area():
    data = slices.load("lsoa21")
    for method in PRESETS.values():
        scoring = score_areas(method, INDICATORS, data.values)
        assert len(scoring.scored) == len(data.values), method.code
        assert all(0 <= a.score <= 10 for a in scoring.scored)


def test_ranges_ignore_missing_values():
    assert ranges({"x": {"bad": None}, "y": {"bad": 2}, "z": {"bad": 4}}, ["bad"]) == {
        "bad": Range(2, 4)
    }


def test_explanations_keep_acronyms_and_proper_nouns():
    values = {"x": {"imd_score": 50.0}, "y": {"imd_score": 10.0}}
    top = score_areas(PRESETS["imd"], INDICATORS, values).areas[0]
    assert explain(top, 2) == "1st of 2: IMD score 10.0/10"
    values = {"x": {"adult_skills": 0.5, "employment_rate": 0.3, "income_rate": 0.2}}
    values["y"] = {"adult_skills": 0.1, "employment_rate": 0.1, "income_rate": 0.1}
    line = explain(score_areas(PRESETS["employment"], INDICATORS, values).areas[0], 2)
    assert "adult skills and English proficiency 10.0/10" in line
