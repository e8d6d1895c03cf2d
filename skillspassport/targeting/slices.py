"""The Liverpool City Region slice shipped in the repo (targeting/data/, see DATA.md).

Reads the two analysis-ready files into area -> indicator -> value, with the columns of each
dataset vintage mapped to the product's indicator codes. A blank cell stays None.
"""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

# dataset -> (file, area code column, {indicator code: column})
DATASETS: dict[str, tuple[str, str, dict[str, str]]] = {
    "lsoa21": (
        "lcr_lsoa21_digital_inclusion_inputs.csv.gz",
        "lsoa21_code",
        {
            "imd_score": "iod25_IMD_score",
            "income_rate": "iod25_Income_score",
            "employment_rate": "iod25_Employment_score",
            "adult_skills": "iod25_adult_skills_english_indicator",
            "education_score": "iod25_Education_score",
            "health_score": "iod25_Health_score",
            "digital_connectivity": "iod25_digital_connectivity_indicator",
            "prop_65_plus": "c21_prop_65_plus",
            "prop_75_plus": "c21_prop_75_plus",
            "prop_disabled": "c21_prop_disabled",
            "prop_hh_deprived": "c21_prop_hh_deprived_2plus_dims",
            "imd_rank": "iod25_IMD_rank",
            "imd_decile": "iod25_IMD_decile",
            "population": "c21_usual_residents",
        },
    ),
    "lsoa11": (
        "lcr_lsoa11_digital_inclusion_inputs.csv.gz",
        "lsoa11_code",
        {
            "imd_score": "iod19_imd_score",
            "income_rate": "iod19_income_rate",
            "employment_rate": "iod19_employment_rate",
            "imd_rank": "iod19_imd_rank",
            "prop_65_plus": "pop_mid2020_prop65plus",
            "deri_score": "deri16_deri_score_national",
        },
    ),
}


@dataclass(frozen=True)
class AreaInfo:
    code: str
    name: str
    local_authority: str
    local_authority_code: str
    ward: str
    ward_code: str
    msoa_code: str
    msoa_name: str
    category: str
    best_fit_2021: str  # Internet User Classification group, where the vintage has it


@dataclass(frozen=True)
class Slice:
    dataset: str
    values: dict[str, dict[str, float | None]]
    info: dict[str, AreaInfo]

    def for_local_authority(self, code: str) -> dict[str, dict[str, float | None]]:
        return {a: v for a, v in self.values.items() if self.info[a].local_authority_code == code}


def msoa_name_of(lsoa_name: str) -> str:
    """ONS names an LSOA after its MSOA plus a letter: "Sefton 037D" is in "Sefton 037"."""
    return lsoa_name[:-1] if lsoa_name and lsoa_name[-1].isalpha() else ""


@cache
def msoa21_codes() -> dict[str, str]:
    """MSOA 2021 name -> code for the Liverpool City Region (shipped)."""
    with open(DATA_DIR / "lcr_msoa21_names.csv", encoding="utf-8") as handle:
        return {row["msoa21_name"]: row["msoa21_code"] for row in csv.DictReader(handle)}


def _number(text: str) -> float | None:
    text = text.strip().replace(",", "")
    return float(text) if text and text.lower() not in ("na", "nan") else None


@cache
def load(dataset: str) -> Slice:
    filename, code_column, columns = DATASETS[dataset]
    with gzip.open(DATA_DIR / filename, "rb") as raw:
        rows = list(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig")))
    values: dict[str, dict[str, float | None]] = {}
    info: dict[str, AreaInfo] = {}
    for row in rows:
        code = row[code_column]
        values[code] = {indicator: _number(row[column]) for indicator, column in columns.items()}
        info[code] = AreaInfo(
            code=code,
            name=row.get("lsoa21_name") or row.get("lsoa11_name") or code,
            local_authority=row.get("ltla24_name") or row.get("lad19_name") or "",
            local_authority_code=row.get("ltla24_code") or row.get("lad19_code") or "",
            ward=row.get("ward24_name") or row.get("ward19_name") or "",
            ward_code=row.get("ward24_code") or row.get("ward19_code") or "",
            msoa_code=row.get("msoa11_code", ""),
            msoa_name=row.get("msoa11_name") or msoa_name_of(row.get("lsoa21_name", "")),
            category=row.get("iuc2018_group_label", ""),
            best_fit_2021=row.get("lsoa21_code_best_fit", ""),
        )
    return Slice(dataset, values, info)
