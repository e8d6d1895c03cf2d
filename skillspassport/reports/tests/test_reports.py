"""The six-monthly report: drafting, publishing (frozen), PDF and XLSX, and who may do what."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from skillspassport.background.testing import drain
from skillspassport.core import disclosure
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.reports import kpis
from skillspassport.reports.models import MonitoringReport
from skillspassport.reports.services import (
    ReportError,
    narratives_save,
    report_contents,
    report_create,
    report_publish,
)

PERIOD = kpis.Period.containing(timezone.localdate())


@pytest.fixture
def residents(council, adviser):
    return [ResidentFactory(organisation=council, user=adviser) for _ in range(7)]


def supported_count(contents):
    first = contents["recommendations"][0]["kpis"][0]
    assert first["code"] == "residents_supported"
    return first["value"]


def test_published_report_does_not_change_when_records_do(council, staff, residents):
    report = report_create(council=council, period=PERIOD, user=staff["administrator"])
    assert supported_count(report_contents(report)) == 7
    report_publish(report=report, user=staff["administrator"], interim=True)
    ResidentFactory(organisation=council, user=staff["adviser"])
    report.refresh_from_db()
    assert supported_count(report_contents(report)) == 7  # frozen
    with pytest.raises(ReportError, match="already published"):
        report_publish(report=report, user=staff["administrator"], interim=True)
    with pytest.raises(ReportError, match="cannot be changed"):
        narratives_save(report=report, narratives={"R1": "Edited later"})
    newer = report_create(council=council, period=PERIOD, user=staff["administrator"])
    assert newer.version == 2
    assert supported_count(report_contents(newer)) == 8  # a new version sees the new record


def test_small_numbers_are_protected_in_the_report(council, staff, residents):
    contents = report_contents(
        report_create(council=council, period=PERIOD, user=staff["administrator"])
    )
    sex = next(s for s in contents["equality"] if s["field"] == "sex")
    counts = [row["count"] for row in sex["rows"]]
    assert counts[-1] == 7  # the total
    assert "Not recorded" in [row["label"] for row in sex["rows"]]
    for row in sex["rows"]:
        assert row["count"] in (disclosure.PRIMARY, disclosure.SECONDARY, 0) or row["count"] >= 5


def test_pdf_is_a4_with_contents_and_page_numbers(
    client, council, staff, residents, django_capture_on_commit_callbacks
):
    report = report_create(council=council, period=PERIOD, user=staff["administrator"])
    client.force_login(staff["administrator"])  # a draft: read by who writes it
    url = reverse("reports:pdf", args=[report.pk])
    assert "Make the PDF" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(url)
    assert started.url.startswith("/work/")
    drain()
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    data = response.content
    assert data.startswith(b"%PDF")
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in data  # A4
    assert data.count(b"/Type /Page\n") >= 4 or data.count(b"/Type /Page ") >= 4


def test_xlsx_has_every_table(client, council, staff, residents):
    report = report_create(council=council, period=PERIOD, user=staff["administrator"])
    client.force_login(staff["administrator"])  # a draft: read by who writes it
    book = load_workbook(io.BytesIO(client.get(reverse("reports:xlsx", args=[report.pk])).content))
    assert {"KPIs", "sex", "disability", "Age", "Wards"} <= set(book.sheetnames)
    assert book["KPIs"]["B2"].value == "Residents supported"


def test_only_administrators_draft_and_publish(client, council, staff, residents):
    client.force_login(staff["adviser"])
    assert (
        client.post(reverse("reports:list"), {"period": PERIOD.start.isoformat()}).status_code
        == 403
    )
    client.force_login(staff["administrator"])
    response = client.post(reverse("reports:list"), {"period": PERIOD.start.isoformat()})
    report = MonitoringReport.objects.get()
    assert response.url == reverse("reports:detail", args=[report.pk])
    # A draft is for those who write it: to anyone else its address does not exist.
    for role in ("analyst", "viewer", "councillor", "adviser"):
        client.force_login(staff[role])
        url = reverse("reports:detail", args=[report.pk])
        assert client.post(url, {"action": "publish"}).status_code == 404
        assert client.get(url).status_code == 404
        assert client.get(reverse("reports:pdf", args=[report.pk])).status_code == 404
        assert "Draft" not in client.get(reverse("reports:list")).content.decode()
    client.force_login(staff["administrator"])
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Not available" in page
    client.post(
        reverse("reports:detail", args=[report.pk]),
        {
            "action": "publish",
            "confirmed": "yes",
            "interim": "yes",
            "narrative_R1": "Seven residents supported.",
        },
    )
    report.refresh_from_db()
    assert report.is_published
    assert report.narratives == {"R1": "Seven residents supported."}
    for role in ("analyst", "viewer", "councillor"):
        client.force_login(staff[role])
        page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
        assert "Seven residents supported." in page
        assert "Published" in client.get(reverse("reports:list")).content.decode()


def test_a_period_not_offered_is_refused(client, staff, council):
    client.force_login(staff["administrator"])
    response = client.post(reverse("reports:list"), {"period": "1999-04-01"}, follow=True)
    assert "Choose one of the periods listed" in response.content.decode()
    assert not MonitoringReport.objects.exists()


def test_another_council_cannot_open_a_report(client, council, staff, other_staff, other_council):
    report = report_create(council=council, period=PERIOD, user=staff["administrator"])
    other_council.local_authority_code = "E08000011"
    other_council.save()
    client.force_login(other_staff["administrator"])
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("reports:pdf", args=[report.pk])).status_code == 404


def test_dashboard_with_filters(client, council, staff, residents):
    council.local_authority_code = "E08000014"
    council.save()
    client.force_login(staff["analyst"])
    page = client.get(reverse("reports:dashboard"))
    assert page.status_code == 200
    rows = {r["code"]: r for r in page.context["rows"]}
    assert rows["residents_supported"]["values"][-1] == 7
    assert rows["job_starts"]["values"] == [0] * 4
    assert rows["budget_spend_per_outcome"]["values"] == [None] * 4  # no job starts
    filtered = client.get(reverse("reports:dashboard"), {"ward": "E05000937"})  # Derby
    assert {r["code"]: r for r in filtered.context["rows"]}["residents_supported"]["values"][
        -1
    ] == 0
    ignored = client.get(
        reverse("reports:dashboard"), {"ward": "'; DROP TABLE x", "organisation": "x"}
    )
    assert ignored.status_code == 200


def test_small_counts_of_people_are_hidden_everywhere_they_leave(client, council, staff, adviser):
    for _ in range(3):
        ResidentFactory(organisation=council, user=adviser)
    client.force_login(staff["analyst"])
    rows = {r["code"]: r for r in client.get(reverse("reports:dashboard")).context["rows"]}
    assert rows["residents_supported"]["values"][-1] == "fewer than 5"
    report = report_create(council=council, period=PERIOD, user=staff["administrator"])
    contents = report_contents(report)
    assert supported_count(contents) == "fewer than 5"
    report_publish(report=report, user=staff["administrator"], interim=True)
    xlsx = client.get(reverse("reports:xlsx", args=[report.pk]))
    sheet = load_workbook(io.BytesIO(xlsx.content))["KPIs"]
    assert sheet.cell(row=2, column=6).value == "fewer than 5"


def test_report_page_has_trend_charts_and_a_map(client, council, staff, adviser):
    from skillspassport.targeting.services import shipped_slice_load

    shipped_slice_load()
    for _ in range(6):
        ResidentFactory(organisation=council, user=adviser, postcode="L20 1AD")
    report = report_create(council=council, period=PERIOD, user=staff["administrator"])
    client.force_login(staff["administrator"])  # a draft: read by who writes it
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert 'class="app-sparkbars"' in page
    assert "Map of residents supported" in page
    assert "<title>E05000942</title>" in page  # Linacre ward on the ward map


def test_dashboard_periods_financial_years_and_custom(client, council, staff, residents):
    client.force_login(staff["analyst"])
    years = client.get(reverse("reports:dashboard"), {"view": "financial_years"})
    assert [p.label[:14] for p in years.context["periods"]] == ["Financial year"] * 3
    today = timezone.localdate()
    custom = client.get(
        reverse("reports:dashboard"),
        {"view": "custom", "start": f"{today.year}-01-01", "end": today.isoformat()},
    )
    rows = {r["code"]: r for r in custom.context["rows"]}
    assert len(custom.context["periods"]) == 1
    assert rows["residents_supported"]["values"] == [7]
    for bad in (
        {"start": "yesterday", "end": "2026-01-01"},
        {"start": "2026-05-01", "end": "2026-01-01"},
    ):
        page = client.get(reverse("reports:dashboard"), {"view": "custom", **bad})
        assert page.status_code == 200
        assert "There is a problem" in page.content.decode()


def test_csv_of_every_table(client, council, staff, residents):
    report = report_create(council=council, period=PERIOD, user=staff["administrator"])
    client.force_login(staff["administrator"])  # a draft: read by who writes it
    lines = client.get(reverse("reports:csv", args=[report.pk])).content.decode().splitlines()
    assert lines[0] == "table,row,period,value,target,status,share_percent"
    assert any(line.startswith("R1 measures,Residents supported,") for line in lines)
    assert any(line.startswith("Wards,") for line in lines)
    assert any(line.startswith("What is your sex?,") for line in lines)


def test_equality_and_ward_tables_match_a_recount(council, staff, adviser):
    from skillspassport.people.models import EqualityMonitoring, Resident

    people = [
        ResidentFactory(organisation=council, user=adviser, postcode="L20 1AD") for _ in range(9)
    ]
    people += [
        ResidentFactory(organisation=council, user=adviser, postcode="L20 0AH") for _ in range(6)
    ]
    for person in people[:8]:
        EqualityMonitoring.objects.create(
            resident=person, recorded_by=staff["administrator"], sex="female"
        )
    for person in people[8:14]:
        EqualityMonitoring.objects.create(
            resident=person, recorded_by=staff["administrator"], sex="male"
        )
    contents = report_contents(
        report_create(council=council, period=PERIOD, user=staff["administrator"])
    )
    sex = {
        r["label"]: r["count"]
        for r in next(s for s in contents["equality"] if s["field"] == "sex")["rows"]
    }
    recount = {
        "Female": EqualityMonitoring.objects.filter(sex="female").count(),
        "Male": EqualityMonitoring.objects.filter(sex="male").count(),
        "Total": Resident.objects.count(),
    }
    assert sex["Female"] == recount["Female"] == 8
    assert recount["Male"] == 6
    assert sex["Total"] == recount["Total"] == 15
    assert sex["Not recorded"] == "fewer than 5"  # one resident without answers
    # The six men are hidden too, or 15 - 8 - 6 would give the 1 away; six is not "fewer than 5".
    assert sex["Male"] == disclosure.SECONDARY
    wards = {r["label"]: r["count"] for r in contents["wards"]}
    assert wards == {"Derby": 6, "Linacre": 9, "Total": 15}
