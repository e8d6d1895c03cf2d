"""Publishing and narrative saves lock the report: a save that loses the race changes nothing."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import close_old_connections, connection, transaction
from django.urls import reverse
from django.utils import timezone

from skillspassport.reports import kpis
from skillspassport.reports.models import MonitoringReport
from skillspassport.reports.services import (
    ReportError,
    narratives_save,
    report_create,
    report_publish,
)

PERIOD = kpis.Period.containing(timezone.localdate())


def test_a_save_from_a_page_opened_before_publication_changes_nothing(council, staff):
    admin = staff["administrator"]
    report = report_create(council=council, period=PERIOD, user=admin)
    narratives_save(report=report, narratives={"R1": "On track."})
    opened_earlier = MonitoringReport.objects.get(pk=report.pk)  # another officer's page
    report_publish(report=report, user=admin, interim=True)
    with pytest.raises(ReportError, match="published before your changes were saved"):
        narratives_save(report=opened_earlier, narratives={"R1": "Rewritten after publication"})
    report.refresh_from_db()
    assert report.narratives == {"R1": "On track."}
    assert report.snapshot is not None


def test_the_page_says_a_late_save_was_not_saved(client, council, staff):
    admin = staff["administrator"]
    report = report_create(council=council, period=PERIOD, user=admin)
    report_publish(report=report, user=admin, interim=True)
    client.force_login(admin)
    response = client.post(
        reverse("reports:detail", args=[report.pk]), {"narrative_R1": "Late"}, follow=True
    )
    assert "a published report cannot be changed" in response.content.decode()
    report.refresh_from_db()
    assert report.narratives == {}


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_save_waiting_on_a_publish_is_refused_when_the_publish_commits(council, staff):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    admin = staff["administrator"]
    report = report_create(council=council, period=PERIOD, user=admin)
    opened_earlier = MonitoringReport.objects.get(pk=report.pk)
    locked = threading.Event()
    outcome: list[str] = []

    def publish() -> None:
        try:
            with transaction.atomic():
                report_publish(report=report, user=admin, interim=True)
                locked.set()
                time.sleep(0.5)  # the save below arrives while the row is held
        finally:
            close_old_connections()

    def save() -> None:
        locked.wait(5)
        try:
            narratives_save(report=opened_earlier, narratives={"R1": "Raced"})
            outcome.append("saved")
        except ReportError:
            outcome.append("refused")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=publish), threading.Thread(target=save)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert outcome == ["refused"]
    report.refresh_from_db()
    assert report.is_published
    assert report.narratives == {}
