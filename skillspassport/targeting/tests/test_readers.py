"""Reading the national files: the official layouts, and every way a file can be wrong."""

from __future__ import annotations

import dataclasses
import gzip

import pytest

from skillspassport.targeting.readers import DATASETS, ImportFileError, merge, read

HEADER = "lsoa21_code,total_residents,disabled_equality_act,not_disabled\n"
SMALL = dataclasses.replace(DATASETS["census2021_disability"], expected_rows=(1, 10))


def write(tmp_path, text, name="ts038.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_reads_and_derives_shares(tmp_path):
    path = write(tmp_path, HEADER + "E01000001,1000,250,750\nE01000002,0,0,0\nE01000003,,,\n")
    values = read(SMALL, path)
    assert values["E01000001"] == {"prop_disabled": 0.25}
    assert values["E01000002"] == {"prop_disabled": None}  # no residents: no share, not 0
    assert values["E01000003"] == {"prop_disabled": None}  # blank stays missing


def test_reads_gzip(tmp_path):
    path = tmp_path / "ts038.csv.gz"
    path.write_bytes(gzip.compress((HEADER + "E01000001,10,5,5\n").encode()))
    assert read(SMALL, path) == {"E01000001": {"prop_disabled": 0.5}}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "the file is empty"),
        ("code,value\nE01000001,3\n", "missing column(s): lsoa21_code"),
        (HEADER + "E01000001,1000,250\n", "row 2: expected 4 columns, found 3"),
        (HEADER + "E01000001,1000,250,750\nE01000002,12x,1,1\n", "row 3, column total_residents"),
        (
            HEADER + "E01000001,1000,250,750\nE01000001,1000,250,750\n",
            "row 3: E01000001 appears twice",
        ),
        (HEADER + "S01000001,1000,250,750\n", "row 2, column lsoa21_code"),
        (HEADER + "'; DROP TABLE x;--,1,1,1\n", "is not an LSOA code"),
    ],
)
def test_bad_files_are_refused_naming_row_and_column(tmp_path, body, message):
    path = write(tmp_path, body)
    with pytest.raises(ImportFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read(SMALL, path)


def test_wrong_vintage_is_refused(tmp_path):
    """An IoD2019 (LSOA 2011) file offered as IoD2025 (LSOA 2021) fails on its layout."""
    iod2019 = write(
        tmp_path,
        "LSOA code (2011),Index of Multiple Deprivation (IMD) Score\nE01000001,6.2\n",
        "imd.csv",
    )
    with pytest.raises(ImportFileError, match="not the English Indices of Deprivation 2025"):
        read(DATASETS["iod2025"], iod2019)


def test_a_partial_england_file_is_refused(tmp_path):
    path = write(tmp_path, HEADER + "E01000001,1000,250,750\n")
    with pytest.raises(ImportFileError, match="Is this the right vintage and the whole file"):
        read(DATASETS["census2021_disability"], path)


def test_merge_keeps_missing_as_missing():
    merged = merge({"a": {"x": 1.0}}, {"a": {"y": None}, "b": {"y": 2.0}})
    assert merged == {"a": {"x": 1.0, "y": None}, "b": {"y": 2.0}}
