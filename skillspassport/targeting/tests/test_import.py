"""Importing area data into the database: whole or not at all, idempotent, vintages side by side."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.management import CommandError, call_command

from skillspassport.targeting import readers
from skillspassport.targeting.models import AreaGeography, AreaIndicators, IndicatorDataset
from skillspassport.targeting.services import dataset_store, shipped_slice_load

HEADER = "lsoa21_code,total_residents,disabled_equality_act,not_disabled\n"


@pytest.fixture
def small(monkeypatch):
    """The disability dataset, accepting a handful of rows (a test file, not all of England)."""
    dataset = dataclasses.replace(readers.DATASETS["census2021_disability"], expected_rows=(1, 9))
    monkeypatch.setitem(readers.DATASETS, "census2021_disability", dataset)
    return dataset


def test_import_command_is_idempotent_and_refuses_bad_files_whole(tmp_path, small, db):
    good = tmp_path / "ts038.csv"
    good.write_text(HEADER + "E01000001,100,20,80\nE01000002,200,10,190\n")
    call_command("import_area_data", dataset="census2021_disability", file=good, verbosity=0)
    call_command("import_area_data", dataset="census2021_disability", file=good, verbosity=0)
    record = IndicatorDataset.objects.get(code="census2021_disability")
    assert record.areas == 2
    assert AreaIndicators.objects.get(area_code="E01000001").values == {"prop_disabled": 0.2}

    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "E01000001,100,20,80\nE01000002,two hundred,10,190\n")
    with pytest.raises(CommandError, match=r"row 3, column total_residents.*Nothing from this"):
        call_command("import_area_data", dataset="census2021_disability", file=bad, verbosity=0)
    assert AreaIndicators.objects.filter(dataset=record).count() == 2  # the old data intact
    assert AreaIndicators.objects.get(area_code="E01000001").values == {"prop_disabled": 0.2}


def test_a_new_vintage_goes_beside_the_old(small, db):
    newer = dataclasses.replace(small, vintage="2031")
    dataset_store(
        dataset=small, values={"E01000001": {"prop_disabled": 0.2}}, source="a", sha256="1"
    )
    dataset_store(
        dataset=newer, values={"E01000001": {"prop_disabled": 0.3}}, source="b", sha256="2"
    )
    assert list(
        IndicatorDataset.objects.filter(code=small.code).values_list("vintage", flat=True)
    ) == ["2031", "2021"]
    assert AreaIndicators.objects.filter(area_code="E01000001").count() == 2


def test_shipped_slice_loads_once_and_never_overwrites_an_import(db):
    shipped_slice_load()
    assert (
        AreaGeography.objects.filter(vintage=2021, local_authority_code="E08000014").count() == 191
    )
    assert AreaGeography.objects.filter(vintage=2011).count() == 989
    imd = IndicatorDataset.objects.get(code="iod2025")
    assert imd.areas == 1003
    sefton_top = AreaGeography.objects.get(code="E01007009", vintage=2021)
    assert (sefton_top.ward_name, sefton_top.combined_authority_code) == ("Linacre", "E47000004")
    imd.source_sha256 = "from a national import"
    imd.save()
    assert "unchanged" in " ".join(shipped_slice_load())
    imd.refresh_from_db()
    assert imd.source_sha256 == "from a national import"


def test_import_command_needs_a_source(db):
    with pytest.raises(CommandError, match="Give --from DIR"):
        call_command("import_area_data", verbosity=0)
