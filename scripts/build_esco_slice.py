"""Build the compact ESCO skills slice the skills mapper ships with.

Reads the official ESCO v1.1.1 English CSVs (`skills_en.csv` and the digital, DigComp and
transversal collection files) from a folder and writes
`skillspassport/employers/data/esco_skills_v1.1.1.tsv.gz`: one row per released skill or
knowledge concept with its URI, preferred label, alternative labels (joined by " | "), skill
type, reuse level and three collection flags. Descriptions are left out to keep the file small.
The output is byte-for-byte reproducible (sorted rows, gzip without a timestamp).

    python scripts/build_esco_slice.py --esco ../shared/data/esco

ESCO classification, © European Union, https://esco.ec.europa.eu
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "skillspassport" / "employers" / "data" / "esco_skills_v1.1.1.tsv.gz"
COLLECTIONS = {
    "digital": "digitalSkillsCollection_en.csv",
    "digcomp": "digCompSkillsCollection_en.csv",
    "transversal": "transversalSkillsCollection_en.csv",
}
HEADER = [
    "uri",
    "preferred_label",
    "alt_labels",
    "skill_type",
    "reuse_level",
    "digital",
    "digcomp",
    "transversal",
]


def _clean(value: str) -> str:
    return " ".join(value.replace("|", "/").split())


def build(esco: Path, out: Path) -> int:
    members: dict[str, set[str]] = {}
    for flag, name in COLLECTIONS.items():
        with (esco / name).open(encoding="utf-8", newline="") as handle:
            members[flag] = {row["conceptUri"] for row in csv.DictReader(handle)}
    rows: list[list[str]] = []
    with (esco / "skills_en.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["status"] != "released":
                continue
            uri = row["conceptUri"]
            preferred = _clean(row["preferredLabel"])
            alts: list[str] = []
            for alt in row["altLabels"].split("\n"):
                alt = _clean(alt)
                if alt and alt != preferred and alt not in alts:
                    alts.append(alt)
            rows.append(
                [
                    uri,
                    preferred,
                    " | ".join(alts),
                    row["skillType"],
                    row["reuseLevel"],
                    *("1" if uri in members[flag] else "" for flag in COLLECTIONS),
                ]
            )
    rows.sort()
    text = io.StringIO()
    writer = csv.writer(text, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE)
    writer.writerow(HEADER)
    writer.writerows(rows)
    out.parent.mkdir(parents=True, exist_ok=True)
    with (
        out.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz,
    ):
        gz.write(text.getvalue().encode("utf-8"))
    return len(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--esco", type=Path, required=True, help="folder of ESCO v1.1.1 CSVs")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    count = build(args.esco, args.out)
    print(f"wrote {count:,} concepts to {args.out} ({args.out.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
