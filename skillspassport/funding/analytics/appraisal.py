"""Appraisal maths: weighted scores per assessor, their mean and spread. No Django imports.

An assessor's weighted score is Σ weight * score / max_score over the fund's criteria, so with
weights that add up to 100 it is a mark out of 100. A proposal's score is the mean of the
weighted scores of the assessors who scored it; the spread is the highest minus the lowest.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class CriterionScore:
    weight: int
    score: int
    max_score: int


def _round(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def weighted_score(scores: Iterable[CriterionScore]) -> Decimal:
    """Σ weight * score / max, to 2 decimal places.

    >>> weighted_score([CriterionScore(40, 3, 5), CriterionScore(60, 4, 4)])
    Decimal('84.00')
    """
    total = Decimal(0)
    for item in scores:
        if item.max_score < 1:
            raise ValueError("A criterion's maximum score must be at least 1.")
        if not 0 <= item.score <= item.max_score:
            raise ValueError(f"Score {item.score} is outside 0 to {item.max_score}.")
        total += Decimal(item.weight) * Decimal(item.score) / Decimal(item.max_score)
    return _round(total)


def maximum_possible(weights: Iterable[int]) -> Decimal:
    """The weighted score of full marks on every criterion: Σ weight."""
    return _round(Decimal(sum(weights)))


@dataclass(frozen=True)
class Summary:
    mean: Decimal | None
    lowest: Decimal | None
    highest: Decimal | None
    assessors: int

    @property
    def spread(self) -> Decimal | None:
        if self.lowest is None or self.highest is None:
            return None
        return self.highest - self.lowest


def summarise(weighted: Sequence[Decimal]) -> Summary:
    """Mean and spread of the assessors' weighted scores (None when nobody has scored)."""
    if not weighted:
        return Summary(None, None, None, 0)
    mean = _round(sum(weighted, Decimal(0)) / Decimal(len(weighted)))
    return Summary(mean, min(weighted), max(weighted), len(weighted))
