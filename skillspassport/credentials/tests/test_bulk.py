"""Credentials issued and revoked for many residents from a CSV, as background work: each
one as the single action does it, residents not the user's or without consent reported back,
and a worker that stops half-way issues nothing twice."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.background.models import Work, WorkStatus
from skillspassport.background.services import work_recover
from skillspassport.background.testing import drain, stop_worker_midway
from skillspassport.credentials import bulk
from skillspassport.credentials.models import IssuedCredential
from skillspassport.credentials.services import credential_issue
from skillspassport.people.models import ConsentRecord
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.skills.models import Descriptor
from skillspassport.skills.services import evidence_record

ISSUE = reverse("credentials:bulk-issue")
REVOKE = reverse("credentials:bulk-revoke")


def bronze(organisation, user):
    resident = ResidentFactory(organisation=organisation, user=user)
    evidence_record(
        user=user,
        resident=resident,
        descriptors=Descriptor.objects.filter(level__code="foundation"),
        method="observed_adviser",
        shown_on=date(2026, 10, 1),
    )
    return resident


@pytest.fixture
def residents(council, adviser):
    return [bronze(council, adviser) for _ in range(4)]


def csv_of(*ids):
    return ("resident\n" + "".join(f"{i}\n" for i in ids)).encode()


def post(client, url, data, name="residents.csv", **fields):
    return client.post(url, {"strand": "digital", "file": SimpleUploadedFile(name, data), **fields})


def live(resident):
    return IssuedCredential.objects.filter(
        resident=resident, strand_code="digital", revoked_at=None
    ).count()


def test_bulk_issue_issues_each_and_reports_who_was_not_issued(
    client, staff, residents, other_staff, other_council, django_capture_on_commit_callbacks
):
    other = bronze(other_council, other_staff["adviser"])
    no_consent = residents[3]
    ConsentRecord.objects.filter(resident=no_consent).update(withdrawn_at=timezone.now())
    client.force_login(staff["administrator"])
    ids = [r.public_id for r in residents] + [other.public_id]
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, ISSUE, csv_of(*ids, residents[0].public_id))  # one listed twice
    work = Work.objects.get()
    assert response.url == f"/work/{work.pk}/"
    assert IssuedCredential.objects.count() == 0  # nothing issued in the request
    drain()
    work.refresh_from_db()
    assert work.status == WorkStatus.SUCCEEDED
    assert work.result["succeeded"] == 3
    assert [live(r) for r in residents] == [1, 1, 1, 0]
    assert live(other) == 0
    problems = " ".join(work.result["problems"])
    assert f"Row 5 ({no_consent.public_id}): not issued: no active consent" in problems
    assert f"Row 6 ({other.public_id}): not issued: not a resident you may act for" in problems
    assert other.first_name not in problems
    page = client.get(response.url).content.decode()
    assert "Not done (2)" in page
    issued = AuditEvent.objects.filter(action=AuditAction.CREDENTIAL_ISSUED)
    assert issued.count() == 3
    assert set(issued.values_list("user", flat=True)) == {staff["administrator"].pk}


def test_a_worker_stopped_half_way_issues_nothing_twice(
    staff, residents, django_capture_on_commit_callbacks
):
    administrator = staff["administrator"]
    rows = [bulk.BulkRow(n + 2, str(r.public_id)) for n, r in enumerate(residents)]
    with django_capture_on_commit_callbacks(execute=True):
        work = bulk.bulk_issue_start(user=administrator, strand_code="digital", rows=rows)
    # The first worker issued to two residents, checkpointing each, then was killed.
    for resident in residents[:2]:
        credential_issue(resident=resident, strand_code="digital", user=administrator)
    stop_worker_midway(work, done=2, state={"rows_done": 2, "succeeded": 2, "problems": []})
    assert [w.pk for w in work_recover()] == [work.pk]
    drain()
    work.refresh_from_db()
    assert (work.status, work.attempts) == (WorkStatus.SUCCEEDED, 2)
    assert work.result == {"succeeded": 4, "problems": [], "rows_done": 4}
    assert [live(r) for r in residents] == [1, 1, 1, 1]
    assert AuditEvent.objects.filter(action=AuditAction.CREDENTIAL_ISSUED).count() == 4


def test_bulk_revoke_needs_a_reason_and_revokes_each(
    client, staff, residents, django_capture_on_commit_callbacks
):
    for resident in residents[:3]:
        credential_issue(resident=resident, strand_code="digital", user=staff["adviser"])
    client.force_login(staff["administrator"])
    ids = [r.public_id for r in residents]
    page = post(client, REVOKE, csv_of(*ids)).content.decode()
    assert "Enter the reason for revoking" in page
    with django_capture_on_commit_callbacks(execute=True):
        post(client, REVOKE, csv_of(*ids), reason="Issued in error by the old system")
    drain()
    work = Work.objects.get()
    assert work.result["succeeded"] == 3
    assert "no credential in force to revoke" in work.result["problems"][0]
    assert [live(r) for r in residents] == [0, 0, 0, 0]
    assert set(IssuedCredential.objects.values_list("revocation_reason", flat=True)) == {
        "Issued in error by the old system"
    }


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "r.csv", "The file is empty"),
        (b"name\nKerry\n", "r.csv", "must name a column"),
        (
            b"resident\n" + b"not-an-id\n",
            "r.csv",
            "Row 2: &#x27;not-an-id&#x27; is not a resident id",
        ),
        (b"resident\n\n\n", "r.csv", "lists no residents"),
        (b"\xff\xfe\x00\x00", "r.csv", "saved as UTF-8"),
        (b"resident\n<script>alert(1)</script>\n", "r.csv", "is not a resident id"),
        (b"resident\n", "r.xlsx", "must be a CSV file"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(client, staff, residents, data, name, message):
    client.force_login(staff["administrator"])
    response = post(client, ISSUE, data, name=name)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert "<script>alert(1)</script>" not in page
    assert not Work.objects.exists()


def test_a_huge_file_is_refused(client, staff, monkeypatch, residents):
    monkeypatch.setattr(bulk, "MAX_ROWS", 2)
    client.force_login(staff["administrator"])
    page = post(client, ISSUE, csv_of(*[r.public_id for r in residents])).content.decode()
    assert "more than 2 residents" in page
    monkeypatch.setattr(bulk, "MAX_BYTES", 10)
    page = post(client, ISSUE, csv_of(residents[0].public_id)).content.decode()
    assert "1 MB or smaller" in page
    assert not Work.objects.exists()


def test_who_may_use_the_bulk_pages(client, staff):
    for role, issue, revoke in [
        ("administrator", 200, 200),
        ("adviser", 200, 403),
        ("tutor", 403, 403),
        ("viewer", 403, 403),
        ("analyst", 403, 403),
        ("councillor", 403, 403),
    ]:
        client.force_login(staff[role])
        assert client.get(ISSUE).status_code == issue, role
        assert client.get(REVOKE).status_code == revoke, role
    client.logout()
    assert client.get(ISSUE).status_code == 302
