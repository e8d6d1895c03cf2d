"""Cells for files that leave the system (CSV, XLSX): text a spreadsheet would run is defused.

A spreadsheet treats a cell that begins with `=`, `+`, `-` or `@` (and, in some programs, a
tab or carriage return) as a formula, so a resident named `=HYPERLINK(…)` would become a live
link in an officer's export. Such text is written with a leading apostrophe, which every
spreadsheet shows as the text itself. Numbers stay numbers.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """`value`, with text that could be read as a formula made inert."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


class SafeCsvWriter:
    """`csv.writer` whose rows pass through `safe_row`: every CSV the service writes uses it."""

    def __init__(self, out: Any, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, values: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(values))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for values in rows:
            self.writerow(values)


def csv_writer(out: Any, **options: Any) -> SafeCsvWriter:
    return SafeCsvWriter(out, **options)
