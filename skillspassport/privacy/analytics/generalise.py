"""Coarsening what erasure keeps, so that figures stay the same. No Django imports.

Reports count ages on the last day of a period, and every standard reporting period (a
financial half-year or year) ends on 31 March or 30 September. A person's age on those two days
depends only on their year of birth and on which of three spans of the year their birthday falls
in: 1 January to 31 March, 1 April to 30 September, or 1 October to 31 December. Erasure keeps
the first day of that span in place of the date of birth, so every age counted on a period end
is unchanged while the exact date is gone.
"""

from __future__ import annotations

from datetime import date

# (month, day) where each span starts, latest first.
_SPAN_STARTS = ((10, 1), (4, 1), (1, 1))


def generalised_birth_date(born: date) -> date:
    """The first day of the span of the year `born` falls in.

    >>> generalised_birth_date(date(1990, 8, 17))
    datetime.date(1990, 4, 1)
    """
    for month, day in _SPAN_STARTS:
        if (born.month, born.day) >= (month, day):
            return date(born.year, month, day)
    raise AssertionError("unreachable: every date is on or after 1 January")  # pragma: no cover


def age_on(born: date, day: date) -> int:
    """Age in whole years on `day`."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
