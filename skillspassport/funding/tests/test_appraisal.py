"""The appraisal maths on small worked examples."""

from __future__ import annotations

from decimal import Decimal

import pytest

from skillspassport.funding.analytics.appraisal import (
    CriterionScore,
    maximum_possible,
    summarise,
    weighted_score,
)


def test_weighted_score_is_sum_of_weight_times_score_over_max():
    # 40 * 3/5 + 30 * 5/5 + 30 * 7/10 = 24 + 30 + 21
    scores = [CriterionScore(40, 3, 5), CriterionScore(30, 5, 5), CriterionScore(30, 7, 10)]
    assert weighted_score(scores) == Decimal("75.00")


def test_weighted_score_rounds_half_up_to_pennies():
    # 10 * 1/3 = 3.333…
    assert weighted_score([CriterionScore(10, 1, 3)]) == Decimal("3.33")
    # 10 * 2/3 = 6.666…
    assert weighted_score([CriterionScore(10, 2, 3)]) == Decimal("6.67")


@pytest.mark.parametrize("score", [-1, 6])
def test_scores_outside_range_are_refused(score):
    with pytest.raises(ValueError, match="outside 0 to 5"):
        weighted_score([CriterionScore(10, score, 5)])


def test_summary_mean_and_spread():
    summary = summarise([Decimal("75.00"), Decimal("60.00"), Decimal("81.50")])
    assert summary.mean == Decimal("72.17")
    assert summary.lowest == Decimal("60.00")
    assert summary.highest == Decimal("81.50")
    assert summary.spread == Decimal("21.50")
    assert summary.assessors == 3


def test_summary_of_nobody_is_empty():
    summary = summarise([])
    assert summary.mean is None
    assert summary.spread is None
    assert summary.assessors == 0


def test_maximum_possible_is_the_sum_of_weights():
    assert maximum_possible([40, 30, 30]) == Decimal("100.00")
