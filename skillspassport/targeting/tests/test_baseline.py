from __future__ import annotations

from skillspassport.targeting.baseline import HIDDEN, baseline


def test_baseline_rows_totals_and_protection():
    levels = (
        [("Linacre", "")] * 6
        + [("Linacre", "bronze")] * 2
        + [("Derby", "gold")] * 3
        + [("Ford", "")] * 9
        + [("Ford", "silver")] * 7
        + [("Ford", "gold")] * 10
    )
    rows = {r.label: r for r in baseline(levels, totals_label="All wards")}
    assert rows["Linacre"].cells[1] == HIDDEN  # 2 Bronze
    assert rows["Derby"].cells[3] == HIDDEN  # 3 Gold
    assert rows["Derby"].total == HIDDEN
    assert rows["Ford"].cells[2] == "7"
    assert rows["All wards"].total == "37"
    # Secondary suppression: Linacre's 6 cannot stay visible beside a visible total of 8.
    assert not (rows["Linacre"].cells[0] != HIDDEN and rows["Linacre"].total != HIDDEN)


def test_empty_baseline():
    assert baseline([]) == []
