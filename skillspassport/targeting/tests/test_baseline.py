from __future__ import annotations

from skillspassport.core.disclosure import PRIMARY, SECONDARY
from skillspassport.targeting.baseline import baseline

HIDDEN = {PRIMARY, SECONDARY}


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
    assert rows["Linacre"].cells[1] == PRIMARY  # 2 Bronze
    assert rows["Derby"].cells[3] == PRIMARY  # 3 Gold
    assert rows["Derby"].total == PRIMARY
    assert rows["Ford"].cells[2] == "7"
    assert rows["All wards"].total == "37"
    # Secondary suppression: Linacre's 6 cannot stay visible beside a visible total of 8.
    assert not (rows["Linacre"].cells[0] not in HIDDEN and rows["Linacre"].total not in HIDDEN)


def test_a_six_hidden_to_protect_a_two_is_labelled_truthfully():
    """Linacre's 6 residents with no level are hidden only so that the 2 at Bronze cannot be
    worked out: the baseline must not call 6 "fewer than 5"."""
    levels = [("Linacre", "")] * 6 + [("Linacre", "bronze")] * 2 + [("Ford", "")] * 9
    levels += [("Ford", "bronze")] * 8
    rows = {r.label: r for r in baseline(levels, totals_label="All wards")}
    assert rows["Linacre"].cells[1] == PRIMARY
    assert rows["Linacre"].cells[0] == SECONDARY
    assert PRIMARY not in (rows["Linacre"].cells[0], rows["Ford"].cells[0], rows["Ford"].total)


def test_empty_baseline():
    assert baseline([]) == []
