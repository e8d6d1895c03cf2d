"""Days as moments: a span of days covers them whole, in the service's time zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from skillspassport.core.querysets import day_span

LONDON = ZoneInfo("Europe/London")
UTC = ZoneInfo("UTC")


def _hours(start, end):
    return (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() / 3600


def test_a_span_runs_from_the_first_midnight_to_the_midnight_after_the_last_day():
    start, end = day_span(date(2025, 10, 1), date(2026, 3, 31))
    assert start == datetime(2025, 10, 1, tzinfo=LONDON)
    assert end == datetime(2026, 4, 1, tzinfo=LONDON)


def test_london_midnight_is_not_utc_midnight_in_summer():
    start, end = day_span(date(2026, 7, 1), date(2026, 7, 1))
    assert start.astimezone(UTC) == datetime(2026, 6, 30, 23, tzinfo=UTC)
    assert _hours(start, end) == 24


def test_the_day_the_clocks_go_forward_is_23_hours_long():
    start, end = day_span(date(2026, 3, 29), date(2026, 3, 29))
    assert _hours(start, end) == 23
