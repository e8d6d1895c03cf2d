"""Readers for the national files in their official CSV layouts, checked row by row.

Each dataset is read whole into area -> indicator -> value before anything is stored, so a
malformed, truncated or wrong-vintage file is refused with the row and column at fault and
nothing half-imported. Blank cells stay None (missing, never filled).
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

LSOA_CODE = re.compile(r"^[EW]0[01]\d{6}$")

Values = dict[str, dict[str, float | None]]


class ImportFileError(ValueError):
    """The file cannot be imported; the message names the file, row and column."""


@dataclass(frozen=True)
class Derived:
    """An indicator computed from other columns of the same row."""

    columns: tuple[str, ...]
    compute: Callable[[Mapping[str, float | None]], float | None]


@dataclass(frozen=True)
class Dataset:
    code: str  # e.g. "iod2025"
    label: str
    vintage: str  # e.g. "2025"
    geography: str  # "lsoa11" or "lsoa21"
    key: str  # the area code column
    columns: Mapping[str, str | Derived]  # indicator -> column, or derived from columns
    expected_rows: tuple[int, int]  # a plausible count for England (refuses other vintages)

    @property
    def required(self) -> list[str]:
        needed = [self.key]
        for source in self.columns.values():
            needed.extend(source.columns if isinstance(source, Derived) else [source])
        return list(dict.fromkeys(needed))


def _share(numerator: str | tuple[str, ...], denominator: str) -> Derived:
    parts = (numerator,) if isinstance(numerator, str) else numerator

    def compute(row: Mapping[str, float | None]) -> float | None:
        values = [row[p] for p in parts]
        total = row[denominator]
        if total is None or total == 0 or any(v is None for v in values):
            return None
        return sum(v for v in values if v is not None) / total

    return Derived((*parts, denominator), compute)


ENGLAND_LSOA21 = (33_755, 33_755)
ENGLAND_LSOA11 = (32_844, 32_844)

DATASETS: dict[str, Dataset] = {
    d.code: d
    for d in [
        Dataset(
            "iod2025",
            "English Indices of Deprivation 2025",
            "2025",
            "lsoa21",
            "lsoa21_code",
            {
                "imd_score": "IMD_score",
                "imd_rank": "IMD_rank",
                "imd_decile": "IMD_decile",
                "income_rate": "Income_score",
                "employment_rate": "Employment_score",
                "education_score": "Education_score",
                "health_score": "Health_score",
            },
            ENGLAND_LSOA21,
        ),
        Dataset(
            "iod2025_indicators",
            "English Indices of Deprivation 2025, underlying indicators",
            "2025",
            "lsoa21",
            "lsoa21_code",
            {
                "adult_skills": "adult_skills_and_english_language_proficiency_indicator",
                "digital_connectivity": "digital_connectivity_broadband_download_and_upload_speeds",
            },
            ENGLAND_LSOA21,
        ),
        Dataset(
            "census2021_age",
            "Census 2021, residents aged 65+ and 75+",
            "2021",
            "lsoa21",
            "lsoa21_code",
            {"population": "Total", "prop_65_plus": "prop_65_plus", "prop_75_plus": "prop_75_plus"},
            (33_755, 35_672),
        ),
        Dataset(
            "census2021_disability",
            "Census 2021 TS038, disability",
            "2021",
            "lsoa21",
            "lsoa21_code",
            {"prop_disabled": _share("disabled_equality_act", "total_residents")},
            (33_755, 35_672),
        ),
        Dataset(
            "census2021_household_deprivation",
            "Census 2021 TS011, household deprivation",
            "2021",
            "lsoa21",
            "lsoa21_code",
            {
                "prop_hh_deprived": _share(
                    ("hh_deprived_2_dims", "hh_deprived_3_dims", "hh_deprived_4_dims"),
                    "total_households",
                )
            },
            (33_755, 35_672),
        ),
        Dataset(
            "iod2019",
            "English Indices of Deprivation 2019",
            "2019",
            "lsoa11",
            "LSOA code (2011)",
            {
                "imd_score": "Index of Multiple Deprivation (IMD) Score",
                "imd_rank": "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)",
                "imd_decile": (
                    "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of "
                    "LSOAs)"
                ),
                "income_rate": "Income Score (rate)",
                "employment_rate": "Employment Score (rate)",
                "education_rank": "Education, Skills and Training Rank (where 1 is most deprived)",
                "health_rank": "Health Deprivation and Disability Rank (where 1 is most deprived)",
            },
            ENGLAND_LSOA11,
        ),
        Dataset(
            "iod2019_indicators",
            "English Indices of Deprivation 2019, underlying indicators",
            "2019",
            "lsoa11",
            "lsoa11_code",
            {"adult_skills": "adult_skills_and_english_language_proficiency_indicator"},
            ENGLAND_LSOA11,
        ),
    ]
}


def _open_text(path: Path) -> io.TextIOBase:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")


def _number(text: str, *, where: str) -> float | None:
    text = text.strip().replace(",", "")
    if text == "" or text.lower() in ("na", "nan"):
        return None
    try:
        return float(text)
    except ValueError as exc:
        raise ImportFileError(f"{where}: '{text[:40]}' is not a number.") from exc


def read(dataset: Dataset, path: Path) -> Values:
    """The whole file as area -> indicator -> value, or ImportFileError naming the fault."""
    with _open_text(path) as handle:
        return dict(_read_rows(dataset, path, handle))


def _read_rows(
    dataset: Dataset, path: Path, handle: io.TextIOBase
) -> Iterator[tuple[str, dict[str, float | None]]]:
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError(f"{path.name}: the file is empty.") from None
    missing = [c for c in dataset.required if c not in header]
    if missing:
        raise ImportFileError(
            f"{path.name}: this is not the {dataset.label} layout; missing column(s): "
            + ", ".join(missing)
        )
    position = {name: header.index(name) for name in dataset.required}
    seen: set[str] = set()
    count = 0
    for line, row in enumerate(reader, start=2):
        if not row:
            continue
        if len(row) != len(header):
            raise ImportFileError(
                f"{path.name}, row {line}: expected {len(header)} columns, found {len(row)} "
                "(is the file truncated?)."
            )
        code = row[position[dataset.key]].strip()
        if not LSOA_CODE.match(code):
            raise ImportFileError(
                f"{path.name}, row {line}, column {dataset.key}: '{code[:20]}' is not an LSOA code."
            )
        if code in seen:
            raise ImportFileError(f"{path.name}, row {line}: {code} appears twice.")
        seen.add(code)
        raw = {
            name: _number(row[index], where=f"{path.name}, row {line}, column {name}")
            for name, index in position.items()
            if name != dataset.key
        }
        values: dict[str, float | None] = {}
        for indicator, source in dataset.columns.items():
            values[indicator] = source.compute(raw) if isinstance(source, Derived) else raw[source]
        count += 1
        yield code, values
    low, high = dataset.expected_rows
    england = sum(1 for c in seen if c.startswith("E"))
    if not low <= max(england, count) <= high:
        raise ImportFileError(
            f"{path.name}: {england} English areas, but the {dataset.label} has {low:,}. "
            "Is this the right vintage and the whole file?"
        )


def merge(*parts: Values) -> Values:
    """Combine datasets on the same geography: every area, every indicator (missing = None)."""
    merged: Values = {}
    for part in parts:
        for code, values in part.items():
            merged.setdefault(code, {}).update(values)
    return merged


# Where each dataset's file sits in the national open-data folder (the layout of DATA.md's
# sources); `manage.py import_area_data --from DIR` imports every one it finds.
NATIONAL_FILES: dict[str, str] = {
    "iod2025": "iod2025/imd2025_england_lsoa21.csv",
    "iod2025_indicators": "iod2025/imd2025_england_lsoa21_indicators.csv",
    "census2021_age": "census2021/census2021_age65plus_75plus_lsoa21_EW_tidy.csv",
    "census2021_disability": "census2021/census2021_TS038_disability_lsoa21_EW.csv",
    "census2021_household_deprivation": (
        "census2021/census2021_TS011_household_deprivation_lsoa21_EW.csv"
    ),
    "iod2019": "iod2019/IoD2019_LSOA11_assembled_File7_equivalent.csv",
    "iod2019_indicators": "iod2019/imd2019_england_lsoa11_indicators.csv",
}
LSOA21_GEOGRAPHY_FILE = "lookups/lookup_lsoa21_ward24_ltla24.csv"
