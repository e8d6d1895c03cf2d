"""Helpers for posting casework forms."""

from __future__ import annotations

from datetime import date


def date_post(prefix: str, day: date) -> dict[str, str]:
    """The three boxes of a GOV.UK date field."""
    return {
        f"{prefix}_0": str(day.day),
        f"{prefix}_1": str(day.month),
        f"{prefix}_2": str(day.year),
    }
