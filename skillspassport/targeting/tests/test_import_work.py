"""National area data uploaded on the targeting page is checked whole, then imported as
background work; a worker that stops part-way leaves nothing half-imported or doubled."""

from __future__ import annotations

import dataclasses
import gzip

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from skillspassport.background.models import Work, WorkStatus
from skillspassport.background.services import work_recover
from skillspassport.background.testing import drain, stop_worker_midway
from skillspassport.targeting import forms, readers
from skillspassport.targeting.imports import area_data_import_start
from skillspassport.targeting.models import AreaIndicators, IndicatorDataset
from skillspassport.targeting.services import dataset_import

HEADER = "lsoa21_code,total_residents,disabled_equality_act,not_disabled\n"
GOOD = HEADER + "E01000001,100,20,80\nE01000002,200,10,190\n"
URL = reverse("targeting:import")


@pytest.fixture(autouse=True)
def small(monkeypatch):
    """The disability dataset, accepting a handful of rows (a test file, not all of England)."""
    dataset = dataclasses.replace(readers.DATASETS["census2021_disability"], expected_rows=(1, 9))
    monkeypatch.setitem(readers.DATASETS, "census2021_disability", dataset)
    return dataset


def upload(client, content, name="ts038.csv", dataset="census2021_disability"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(URL, {"dataset": dataset, "file": SimpleUploadedFile(name, data)})


def rows():
    return AreaIndicators.objects.filter(dataset__code="census2021_disability").count()


def test_an_analyst_uploads_a_file_and_it_is_imported_in_the_background(
    client, staff, django_capture_on_commit_callbacks
):
    client.force_login(staff["analyst"])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, GOOD)
    work = Work.objects.get(kind="targeting.import")
    assert response.url == f"/work/{work.pk}/"
    assert rows() == 0  # nothing imported in the request
    drain()
    work.refresh_from_db()
    assert work.status == WorkStatus.SUCCEEDED
    assert rows() == 2
    assert AreaIndicators.objects.get(area_code="E01000001").values == {"prop_disabled": 0.2}
    assert not default_storage.listdir("area-data")[1]  # the upload is not kept once imported
    page = client.get(response.url).content.decode()
    assert "Back to area targeting" in page
    assert "ts038" not in page or "added" in page


def test_a_gzipped_file_is_accepted(client, staff, django_capture_on_commit_callbacks):
    client.force_login(staff["administrator"])
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, gzip.compress(GOOD.encode()), name="ts038.csv.gz")
    drain()
    assert rows() == 2


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        ("", "ts038.csv", "The file is empty"),
        ("lsoa,people\nE01000001,100\n", "ts038.csv", "missing column(s): lsoa21_code"),
        (
            HEADER + "E01000001,100,20,80\nE01000002,two hundred,10,190\n",
            "ts038.csv",
            "row 3, column total_residents: &#x27;two hundred&#x27; is not a number",
        ),
        (HEADER + "E01000001,100,20\n", "ts038.csv", "expected 4 columns, found 3"),
        (HEADER + "not-a-code,1,1,0\n", "ts038.csv", "is not an LSOA code"),
        (b"\xff\xfe\x00bad", "ts038.csv", "could not be read as CSV"),
        (b"\x1f\x8b\x08not really gzip", "ts038.csv.gz", "could not be read as CSV"),
        ("<script>alert(1)</script>", "ts038.xlsx", "must be a CSV file"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message_and_data_left_intact(
    client, staff, content, name, message, django_capture_on_commit_callbacks
):
    client.force_login(staff["analyst"])
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, GOOD)
    drain()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, content, name=name)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert "<script>alert(1)</script>" not in page
    assert Work.objects.count() == 1  # nothing queued
    assert rows() == 2  # the data held is untouched
    assert AreaIndicators.objects.get(area_code="E01000002").values == {"prop_disabled": 0.05}


def test_a_huge_file_is_refused(client, staff, monkeypatch):
    monkeypatch.setattr(forms, "UPLOAD_MAX_BYTES", 100)
    client.force_login(staff["analyst"])
    page = upload(client, GOOD + "E01000003,300,30,270\n" * 5).content.decode()
    assert "must be 5 MB or smaller" in page
    assert not Work.objects.exists()


def test_no_file_or_no_dataset_says_what_to_choose(client, staff):
    client.force_login(staff["analyst"])
    page = client.post(URL, {}).content.decode()
    assert "Choose the file to import" in page
    assert "Select which dataset the file holds" in page


def test_only_administrators_and_analysts_may_import(client, staff):
    for role in ("adviser", "viewer", "councillor", "tutor"):
        client.force_login(staff[role])
        assert client.get(URL).status_code == 403, role
        assert upload(client, GOOD).status_code == 403, role
    for role in ("analyst", "administrator"):
        client.force_login(staff[role])
        assert client.get(URL).status_code == 200, role
    client.logout()
    assert client.get(URL).status_code == 302
    assert not Work.objects.exists()


def test_a_worker_stopped_after_storing_a_file_is_taken_over_without_doubling(
    db, tmp_path, django_capture_on_commit_callbacks
):
    first = tmp_path / "a.csv"
    first.write_text(GOOD)
    with django_capture_on_commit_callbacks(execute=True):
        work = area_data_import_start(files=[("census2021_disability", str(first))])
    # The first worker stored the file, then was killed before it said so.
    dataset_import(dataset_code="census2021_disability", path=first)
    stop_worker_midway(work, done=0)
    assert [w.pk for w in work_recover()] == [work.pk]
    drain()
    work.refresh_from_db()
    assert (work.status, work.attempts) == (WorkStatus.SUCCEEDED, 2)
    assert "unchanged" in work.result["lines"][0]
    assert IndicatorDataset.objects.filter(code="census2021_disability").count() == 1
    assert rows() == 2


def test_a_worker_stopped_between_files_skips_the_files_stored(
    db, tmp_path, django_capture_on_commit_callbacks, monkeypatch
):
    first = tmp_path / "a.csv"
    first.write_text(GOOD)
    with django_capture_on_commit_callbacks(execute=True):
        work = area_data_import_start(
            files=[("census2021_disability", str(first)), ("census2021_disability", "gone")]
        )
    stop_worker_midway(
        work, done=1, state={"steps": ["census2021_disability"], "lines": ["stored"]}
    )
    calls = []
    monkeypatch.setattr(
        "skillspassport.targeting.imports.dataset_import",
        lambda **kw: calls.append(kw) or (_ for _ in ()).throw(AssertionError),
    )
    work_recover()
    drain()
    work.refresh_from_db()
    assert work.status == WorkStatus.SUCCEEDED
    assert calls == []  # the file already stored was not read again


def test_the_command_still_imports_and_refuses_bad_files(db, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "E01000001,100,20,80\nE01000002,two hundred,10,190\n")
    with pytest.raises(Exception, match=r"row 3, column total_residents.*Nothing from this"):
        call_command("import_area_data", dataset="census2021_disability", file=bad)
    failed = Work.objects.get()
    assert (failed.status, failed.attempts) == (WorkStatus.FAILED, 1)  # not retried
    good = tmp_path / "good.csv"
    good.write_text(GOOD)
    call_command("import_area_data", "--queue", dataset="census2021_disability", file=good)
    assert "queued. Progress:" in capsys.readouterr().out
    assert rows() == 0
