"""The report's PDF is made in the background, once per state of the report, and a published
report's PDF is frozen with its figures."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from skillspassport.background.models import Work, WorkStatus
from skillspassport.background.services import work_recover
from skillspassport.background.testing import drain, stop_worker_midway
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.reports import kpis
from skillspassport.reports.models import ReportPdf
from skillspassport.reports.pdfs import report_pdf_start
from skillspassport.reports.services import report_create, report_publish

PERIOD = kpis.Period.containing(timezone.localdate())


@pytest.fixture
def report(council, staff):
    for _ in range(6):
        ResidentFactory(organisation=council, user=staff["adviser"])
    return report_create(council=council, period=PERIOD, user=staff["administrator"])


def test_publishing_makes_the_pdf_once_and_it_stays_frozen(
    client, council, staff, report, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report_publish(report=report, user=staff["administrator"], interim=True)
    drain()
    work = Work.objects.get(kind="reports.pdf")
    assert work.status == WorkStatus.SUCCEEDED
    assert work.result["url"] == reverse("reports:pdf", args=[report.pk])
    made = ReportPdf.objects.get()
    # Records change after publication; the councillor still gets the same file.
    ResidentFactory(organisation=council, user=staff["adviser"])
    client.force_login(staff["councillor"])
    response = client.get(reverse("reports:pdf", args=[report.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content == bytes(made.data)
    # Asking again makes nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:pdf", args=[report.pk]))
    drain()
    assert ReportPdf.objects.count() == 1


def test_a_draft_pdf_is_made_again_once_its_figures_change(
    client, council, staff, report, django_capture_on_commit_callbacks
):
    client.force_login(staff["administrator"])
    url = reverse("reports:pdf", args=[report.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    drain()
    assert client.get(url)["Content-Type"] == "application/pdf"
    ResidentFactory(organisation=council, user=staff["adviser"])
    assert "Make the PDF" in client.get(url).content.decode()  # the old one is out of date


def test_the_progress_page_links_to_the_download(
    client, staff, report, django_capture_on_commit_callbacks
):
    client.force_login(staff["administrator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:pdf", args=[report.pk]))
    drain()
    page = client.get(response.url).content.decode()
    assert "Finished" in page
    assert f'href="{reverse("reports:pdf", args=[report.pk])}"' in page
    assert "Download the PDF" in page
    client.force_login(staff["councillor"])  # drafts are not theirs, nor is this work
    assert client.get(response.url).status_code == 404


def test_a_worker_stopped_while_making_the_pdf_is_taken_over(
    staff, report, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        work = report_pdf_start(report=report, user=staff["administrator"])
    stop_worker_midway(work, done=0)
    assert drain() == 0
    assert [w.pk for w in work_recover()] == [work.pk]
    drain()
    work.refresh_from_db()
    assert (work.status, work.attempts) == (WorkStatus.SUCCEEDED, 2)
    assert ReportPdf.objects.filter(report=report).count() == 1
    assert bytes(ReportPdf.objects.get().data).startswith(b"%PDF")
