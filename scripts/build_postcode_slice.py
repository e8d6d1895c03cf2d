"""Build the shipped postcode lookup from the Liverpool City Region extract.

Usage: python scripts/build_postcode_slice.py ../shared/data/postcodes/lcr_postcode_lookup.csv

Keeps the columns the product needs: postcode, whether it is live (in Code-Point Open
2025-10), NSPL Aug 2024 local authority, 2024 ward and 2021 LSOA (best fit), and the centroid.
Source and licence: see DATA.md.
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "skillspassport/areas/data/lcr_postcodes.csv.gz"
COLUMNS = [
    "postcode",
    "is_live",
    "lad_code",
    "lad_name",
    "ward_code",
    "ward_name",
    "lsoa21_code",
    "lsoa21_name",
    "latitude",
    "longitude",
]


def main(source: str) -> None:
    rows = 0
    with (
        open(source, newline="", encoding="utf-8") as f_in,
        open(OUT, "wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as gz,
        io.TextIOWrapper(gz, encoding="utf-8", newline="") as f_out,
    ):
        writer = csv.writer(f_out)
        writer.writerow(COLUMNS)
        for row in csv.DictReader(f_in):
            writer.writerow(
                [
                    row["pcds"],
                    row["live_in_codepoint_2025_10"],
                    row["ladcd"],
                    row["ladnm"],
                    row["wd24cd"],
                    row["wd24nm"],
                    row["lsoa21cd"],
                    row["lsoa21nm"],
                    row["lat"],
                    row["long"],
                ]
            )
            rows += 1
    print(f"wrote {rows} postcodes to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
