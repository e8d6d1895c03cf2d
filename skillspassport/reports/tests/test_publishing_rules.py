"""Publishing: only after the period ends (or as an interim report, said on every page), after a
confirmation that carries the narratives, audited, and the earlier version marked superseded."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.reports import kpis
from skillspassport.reports.models import MonitoringReport
from skillspassport.reports.services import ReportError, report_create, report_publish

CURRENT = kpis.Period.containing(timezone.localdate())
LAST = CURRENT.previous()

pytestmark = pytest.mark.django_db


def test_an_unfinished_period_is_not_published_unless_as_an_interim_report(council, staff):
    admin = staff["administrator"]
    report = report_create(council=council, period=CURRENT, user=admin)
    with pytest.raises(ReportError, match="publish it now as an interim report"):
        report_publish(report=report, user=admin)
    report.refresh_from_db()
    assert not report.is_published
    published = report_publish(report=report, user=admin, interim=True)
    assert published.interim
    assert published.status_label == "interim report of the period to date"


def test_a_finished_period_is_published_as_it_is(council, staff):
    admin = staff["administrator"]
    report = report_publish(
        report=report_create(council=council, period=LAST, user=admin), user=admin
    )
    assert report.is_published
    assert not report.interim


def test_publishing_asks_for_confirmation_and_keeps_the_typed_narratives(client, council, staff):
    admin = staff["administrator"]
    report = report_create(council=council, period=LAST, user=admin)
    client.force_login(admin)
    url = reverse("reports:detail", args=[report.pk])
    typed = 'Seven residents <b>supported</b> & "more"'
    page = client.post(url, {"action": "publish", "narrative_R1": typed})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Publish the monitoring report for" in body
    assert "Yes, publish it" in body
    report.refresh_from_db()
    assert not report.is_published
    assert report.narratives == {}  # nothing saved until confirmed
    response = client.post(url, {"action": "publish", "confirmed": "yes", "narrative_R1": typed})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.is_published
    assert report.narratives == {"R1": typed}  # kept exactly as typed
    assert AuditEvent.objects.filter(action=AuditAction.REPORT_PUBLISHED).count() == 1


def test_an_interim_report_must_be_confirmed_as_interim(client, council, staff):
    admin = staff["administrator"]
    report = report_create(council=council, period=CURRENT, user=admin)
    client.force_login(admin)
    url = reverse("reports:detail", args=[report.pk])
    page = client.post(url, {"action": "publish"})
    assert "This period has not ended" in page.content.decode()
    refused = client.post(url, {"action": "publish", "confirmed": "yes"})
    assert refused.status_code == 400
    assert "Confirm that this is an interim report" in refused.content.decode()
    report.refresh_from_db()
    assert not report.is_published
    client.post(url, {"action": "publish", "confirmed": "yes", "interim": "yes"})
    report.refresh_from_db()
    assert report.is_published
    assert report.interim
    assert "(interim)" in client.get(url).content.decode()


def test_publishing_a_new_version_marks_the_earlier_one_superseded(client, council, staff):
    admin = staff["administrator"]
    first = report_publish(
        report=report_create(council=council, period=LAST, user=admin), user=admin
    )
    second = report_create(council=council, period=LAST, user=admin)
    assert second.version == 2
    client.force_login(admin)
    page = client.post(reverse("reports:detail", args=[second.pk]), {"action": "publish"})
    assert "Version 1, published" in page.content.decode()
    report_publish(report=second, user=admin)
    first.refresh_from_db()
    assert first.superseded_by == MonitoringReport.objects.get(pk=second.pk)
    body = client.get(reverse("reports:detail", args=[first.pk])).content.decode()
    assert "Superseded: version 2 of this report was published" in body
    assert "Superseded" in client.get(reverse("reports:list")).content.decode()
    assert AuditEvent.objects.filter(summary__contains="superseded by version 2").exists()
