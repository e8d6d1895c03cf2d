"""Cells for files that leave the system (CSV, XLSX): text a spreadsheet would run is defused.

A spreadsheet treats a cell that begins with `=`, `+`, `-` or `@` (and, in some programs, a
tab or carriage return) as a formula, so a resident named `=HYPERLINK(…)` would become a live
link in an officer's export. Such text is written with a leading apostrophe, which every
spreadsheet shows as the text itself. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook

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


# --- Downloads of a table (CSV or XLSX) -------------------------------------------------------

TABLE_FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_download(
    *, headers: list[str], rows: Iterable[Iterable[Any]], filename: str, file_format: str
) -> HttpResponse:
    """A table as a CSV or XLSX attachment (`filename` without extension), every text cell
    defused by `safe_cell`. `file_format` is one of TABLE_FORMATS (the URL restricts it)."""
    if file_format == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.append(safe_row(headers))
        for values in rows:
            sheet.append(safe_row(values))
        out = io.BytesIO()
        workbook.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    else:
        text = io.StringIO()
        writer = csv_writer(text)
        writer.writerow(headers)
        writer.writerows(rows)
        response = HttpResponse(text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response
