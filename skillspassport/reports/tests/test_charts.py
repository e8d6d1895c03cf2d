"""Worked examples for the report page's trend bars and map shading."""

from __future__ import annotations

from skillspassport.core.disclosure import PRIMARY
from skillspassport.reports.analytics.charts import Bar, count_shading, trend_bars


def test_bars_are_scaled_to_the_tallest_and_hidden_figures_drawn_as_nothing():
    bars = trend_bars([10, 5, PRIMARY, None], width=96, height=28)
    assert bars == [
        Bar(x=2.0, y=0.0, w=20.0, h=28.0, label=10),
        Bar(x=26.0, y=14.0, w=20.0, h=14.0, label=5),
        Bar(x=50.0, y=28.0, w=20.0, h=0.0, label=PRIMARY),
        Bar(x=74.0, y=28.0, w=20.0, h=0.0, label="not available"),
    ]


def test_a_trend_of_zeros_or_nothing_draws_flat_bars():
    assert [b.h for b in trend_bars([0, 0])] == [0.0, 0.0]
    assert trend_bars([]) == []


def test_areas_are_shaded_against_the_largest_count_in_equal_classes():
    shading = count_shading({"E1": 40, "E2": 10, "E3": PRIMARY, "E4": 0}, classes=4)
    assert shading is not None
    assert shading.scaled == {"E1": 10.0, "E2": 2.5, "E3": None, "E4": None}
    assert shading.edges == [0, 10, 20, 30, 40]


def test_no_shading_when_no_count_may_be_shown():
    assert count_shading({"E1": PRIMARY}, classes=4) is None
    assert count_shading({}, classes=4) is None
