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


def test_slice_geography_has_msoas(db):
    shipped_slice_load()
    linacre = AreaGeography.objects.get(code="E01007009", vintage=2021)
    assert linacre.msoa_name == "Sefton 037"
    assert linacre.msoa_code.startswith("E02")
    old = AreaGeography.objects.filter(vintage=2011).exclude(msoa_code="").count()
    assert old == 989


def _write(folder, name, text):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_lsoa_2011_geography_and_lookups_import(tmp_path, db):
    from skillspassport.targeting.services import geography_import_lsoa11

    _write(
        tmp_path,
        "lookups/LSOA11_to_LSOA21_to_LAD22_best_fit_Lookup_EW_v2.csv",
        "ObjectId,LSOA11CD,LSOA11NM,LSOA21CD,LSOA21NM,LAD22CD,LAD22NM,LAD22NMW\n"
        "1,E01007009,Sefton 037D,E01007009,Sefton 037D,E08000014,Sefton,\n"
        "2,W01000001,Isle of Anglesey 007A,W01000001,x,W06000001,Anglesey,\n",
    )
    _write(
        tmp_path,
        "lookups/LSOA11_to_Ward2019_LAD2019_Lookup_EW.csv",
        "FID,LSOA11CD,LSOA11NM,WD19CD,WD19NM,LAD19CD,LAD19NM\n"
        "1,E01007009,Sefton 037D,E05000942,Linacre,E08000014,Sefton\n",
    )
    _write(
        tmp_path,
        "lookups/lookup_lsoa11_msoa11.csv",
        "lsoa11_name,lsoa11_code,msoa11_name,msoa11_code\n"
        "Sefton 037D,E01007009,Sefton 037,E02001463\n",
    )
    _write(
        tmp_path,
        "iuc/iuc2018.csv",
        "SHP_ID,LSOA11_CD,LSOA11_NM,GRP_CD,GRP_LABEL\n1,E01007009,Sefton 037D,10,e-Withdrawn\n",
    )
    assert geography_import_lsoa11(folder=tmp_path) == 1  # England only
    area = AreaGeography.objects.get(code="E01007009", vintage=2011)
    assert (area.ward_name, area.msoa_code, area.category, area.best_fit_2021) == (
        "Linacre",
        "E02001463",
        "e-Withdrawn",
        "E01007009",
    )
    assert area.combined_authority_code == "E47000004"
    assert geography_import_lsoa11(folder=tmp_path) == 0  # idempotent


def test_a_lookup_in_the_wrong_layout_is_refused(tmp_path, db):
    from skillspassport.targeting.services import geography_import_lsoa11

    _write(tmp_path, "lookups/LSOA11_to_LSOA21_to_LAD22_best_fit_Lookup_EW_v2.csv", "a,b\n1,2\n")
    with pytest.raises(readers.ImportFileError, match="missing LAD22CD"):
        geography_import_lsoa11(folder=tmp_path)
    assert not AreaGeography.objects.exists()
