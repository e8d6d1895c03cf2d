"""Writes about areas: loading the postcode lookup."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Callable, Iterator
from pathlib import Path

from django.db import transaction

from skillspassport.areas.models import LocalAuthority, Lsoa, Postcode, Ward
from skillspassport.areas.postcodes import normalise_postcode

SHIPPED_POSTCODES = Path(__file__).resolve().parent / "data" / "lcr_postcodes.csv.gz"
BATCH = 5000


def _rows(path: Path) -> Iterator[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as raw:
        yield from csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))


def _float(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


@transaction.atomic
def postcodes_load(
    *, path: Path = SHIPPED_POSTCODES, progress: Callable[[int], None] | None = None
) -> int:
    """Load (or refresh) the postcode lookup from a CSV in the shipped layout. Idempotent.

    Rows whose postcode is not a valid UK postcode are skipped. Returns the rows loaded.
    """
    las: dict[str, str] = {}
    wards: dict[str, tuple[str, str]] = {}
    lsoas: dict[str, tuple[str, str]] = {}
    postcodes: list[Postcode] = []
    for row in _rows(path):
        postcode = normalise_postcode(row["postcode"])
        if postcode is None:
            continue
        la = row["lad_code"] or None
        if la:
            las[la] = row["lad_name"]
            if row["ward_code"]:
                wards[row["ward_code"]] = (row["ward_name"], la)
            if row["lsoa21_code"]:
                lsoas[row["lsoa21_code"]] = (row["lsoa21_name"], la)
        postcodes.append(
            Postcode(
                postcode=postcode,
                lsoa_id=row["lsoa21_code"] or None if la else None,
                ward_id=row["ward_code"] or None if la else None,
                local_authority_id=la,
                latitude=_float(row["latitude"]),
                longitude=_float(row["longitude"]),
                is_live=row["is_live"] == "1",
            )
        )
    LocalAuthority.objects.bulk_create(
        [LocalAuthority(code=c, name=n) for c, n in las.items()],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name"],
    )
    Ward.objects.bulk_create(
        [
            Ward(code=c, name=n, vintage="WD24", local_authority_id=la)
            for c, (n, la) in wards.items()
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "vintage", "local_authority"],
    )
    Lsoa.objects.bulk_create(
        [Lsoa(code=c, name=n, vintage=2021, local_authority_id=la) for c, (n, la) in lsoas.items()],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "local_authority"],
    )
    for start in range(0, len(postcodes), BATCH):
        batch = postcodes[start : start + BATCH]
        Postcode.objects.bulk_create(
            batch,
            update_conflicts=True,
            unique_fields=["postcode"],
            update_fields=["lsoa", "ward", "local_authority", "latitude", "longitude", "is_live"],
        )
        if progress is not None:
            progress(len(batch))
    return len(postcodes)
