from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from skillspassport.areas.models import Postcode
from skillspassport.areas.postcodes import normalise_postcode
from skillspassport.areas.selectors import areas_for_postcode
from skillspassport.areas.services import SHIPPED_POSTCODES, postcodes_load


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("l20 1ad", "L20 1AD"),
        ("  L201AD ", "L20 1AD"),
        ("pr8 1aa", "PR8 1AA"),
        ("SW1A1AA", "SW1A 1AA"),
        ("ec1a 1bb", "EC1A 1BB"),
        ("W1A 0AX", "W1A 0AX"),
        ("gir0aa", "GIR 0AA"),
        ("L20 1A", None),
        ("L20 1CD", None),  # C never appears in the inward code
        ("Q1 1AA", None),  # Q never starts a postcode
        ("1234567", None),
        ("", None),
        ("L20 1AD; DROP TABLE", None),
        ("L" * 5000, None),
    ],
)
def test_normalise_postcode(raw, expected):
    assert normalise_postcode(raw) == expected


def test_known_postcode_gives_its_areas(db):
    areas = areas_for_postcode("L20 1AD")
    assert areas.known
    assert (areas.lsoa_code, areas.ward_code, areas.local_authority_code) == (
        "E01007009",
        "E05000942",
        "E08000014",
    )


def test_unknown_postcode_gives_nothing(db):
    areas = areas_for_postcode("SW1A 1AA")
    assert not areas.known
    assert areas.lsoa_code is None
    assert areas.ward_code is None


def test_loader_is_idempotent_and_skips_bad_rows(db, tmp_path: Path):
    path = tmp_path / "pc.csv.gz"
    header = (
        "postcode,is_live,lad_code,lad_name,ward_code,ward_name,"
        "lsoa21_code,lsoa21_name,latitude,longitude\n"
    )
    rows = [
        (
            "L30 1AA,1,E08000014,Sefton,E05000947,Netherton and Orrell,"
            "E01007030,Sefton 030A,53.47,-2.98\n"
        ),
        "not a postcode,1,E08000014,Sefton,,,,,,\n",
        "L99 9ZZ,0,,,,,,,,\n",  # in the lookup but with no areas: left blank
    ]
    with gzip.open(path, "wt") as f:
        f.write(header + "".join(rows))
    assert postcodes_load(path=path) == 2
    assert postcodes_load(path=path) == 2
    assert Postcode.objects.filter(postcode__in=["L30 1AA", "L99 9ZZ"]).count() == 2
    blank = Postcode.objects.get(postcode="L99 9ZZ")
    assert blank.lsoa_id is None
    assert not blank.is_live
    assert areas_for_postcode("L30 1AA").ward_code == "E05000947"


def test_shipped_lookup_loads_and_covers_sefton(db):
    loaded = postcodes_load(path=SHIPPED_POSTCODES)
    assert loaded > 60000
    sefton = Postcode.objects.filter(local_authority_id="E08000014")
    assert sefton.count() > 9000
    assert sefton.values("lsoa_id").distinct().count() > 180
