from __future__ import annotations

import pytest

from skillspassport.targeting.baseline import baseline, suppress


@pytest.mark.parametrize(
    ("counts", "shown"),
    [
        ((10, 7, 6, 5), ("10", "7", "6", "5")),
        ((10, 3, 6, 0), ("10", "fewer than 5", "fewer than 5", "0")),  # secondary suppression
        ((10, 3, 2, 9), ("10", "fewer than 5", "fewer than 5", "9")),
        ((0, 0, 0, 12), ("0", "0", "0", "12")),
    ],
)
def test_small_counts_are_hidden_and_cannot_be_recovered_from_the_total(counts, shown):
    assert suppress(counts) == shown
    hidden = [i for i, cell in enumerate(shown) if cell == "fewer than 5"]
    assert len(hidden) != 1  # one hidden cell could be worked out from the row total


def test_baseline_rows_and_tiny_groups():
    levels = [("Linacre", "")] * 6 + [("Linacre", "bronze")] * 2 + [("Derby", "gold")] * 3
    rows = {r.label: r for r in baseline(levels)}
    # 2 Bronze is hidden, and so is the 6, or 8 - 6 would give it away.
    assert rows["Linacre"].cells == ("fewer than 5", "fewer than 5", "0", "0")
    assert rows["Linacre"].total == "8"
    assert rows["Derby"].total == "fewer than 5"
    assert rows["Derby"].cells == ("", "", "", "")
