"""Each report write is one transaction: a failure part-way leaves nothing half-made, and two
officers starting the same period's report at once get one draft."""

from __future__ import annotations

import contextlib
import threading
from unittest import mock

import pytest
from django.db import close_old_connections, connection
from django.urls import reverse
from django.utils import timezone

from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.reports import kpis, services
from skillspassport.reports.models import MonitoringReport
from skillspassport.reports.services import narratives_save, report_create, report_publish

PERIOD = kpis.Period.containing(timezone.localdate())


class BoomError(RuntimeError):
    pass


def test_a_report_whose_audit_event_fails_is_not_made(council, staff):
    with (
        mock.patch.object(services, "audit_record", side_effect=BoomError),
        pytest.raises(BoomError),
    ):
        report_create(council=council, period=PERIOD, user=staff["administrator"])
    assert not MonitoringReport.objects.filter(council=council).exists()


def test_a_narrative_save_whose_audit_event_fails_changes_nothing(council, staff):
    admin = staff["administrator"]
    report = report_create(council=council, period=PERIOD, user=admin)
    narratives_save(report=report, narratives={"R1": "On track."}, user=admin)
    with (
        mock.patch.object(services, "audit_record", side_effect=BoomError),
        pytest.raises(BoomError),
    ):
        narratives_save(report=report, narratives={"R1": "Rewritten", "R2": "New"}, user=admin)
    assert report.narratives == {"R1": "On track."}  # the page's copy, too
    report.refresh_from_db()
    assert report.narratives == {"R1": "On track."}
    drafted = AuditEvent.objects.filter(action=AuditAction.REPORT_DRAFTED)
    assert drafted.count() == 1


def test_a_publish_that_fails_saves_none_of_its_narratives(client, council, staff):
    admin = staff["administrator"]
    report = report_create(council=council, period=PERIOD, user=admin)
    client.force_login(admin)
    with (
        mock.patch.object(services, "report_figures", side_effect=BoomError),
        pytest.raises(BoomError),
    ):
        client.post(
            reverse("reports:detail", args=[report.pk]),
            {
                "action": "publish",
                "confirmed": "yes",
                "interim": "yes",
                "narrative_R1": "Written just before publishing",
            },
        )
    report.refresh_from_db()
    assert report.narratives == {}
    assert not report.is_published
    assert not AuditEvent.objects.filter(action=AuditAction.REPORT_DRAFTED).exists()


def test_publishing_from_the_page_saves_the_narratives_it_was_sent(client, council, staff):
    admin = staff["administrator"]
    report = report_create(council=council, period=PERIOD, user=admin)
    client.force_login(admin)
    client.post(
        reverse("reports:detail", args=[report.pk]),
        {
            "action": "publish",
            "confirmed": "yes",
            "interim": "yes",
            "narrative_R1": "Published with this",
        },
    )
    report.refresh_from_db()
    assert report.is_published
    assert report.narratives == {"R1": "Published with this"}


def test_publishing_with_narratives_a_report_published_meanwhile_saves_nothing(council, staff):
    admin = staff["administrator"]
    report = report_create(council=council, period=PERIOD, user=admin)
    opened_earlier = MonitoringReport.objects.get(pk=report.pk)
    report_publish(report=report, user=admin, interim=True)
    with pytest.raises(services.ReportError, match="were not saved"):
        report_publish(report=opened_earlier, user=admin, narratives={"R1": "Late"}, interim=True)
    report.refresh_from_db()
    assert report.narratives == {}


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_officers_starting_the_same_report_at_once_get_one_draft(council, staff):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    admin = staff["administrator"]
    # Each create waits (up to a second) for the other to reach the insert too, so without a
    # lock both would read "no draft yet" and insert the same version.
    both_inserting = threading.Barrier(2, timeout=1)
    create = MonitoringReport.objects.create

    def create_when_both_arrive(**fields):
        with contextlib.suppress(threading.BrokenBarrierError):
            both_inserting.wait()
        return create(**fields)

    made: list[int] = []
    failed: list[Exception] = []

    def start() -> None:
        try:
            made.append(report_create(council=council, period=PERIOD, user=admin).pk)
        except Exception as exc:
            failed.append(exc)
        finally:
            close_old_connections()

    with mock.patch.object(MonitoringReport.objects, "create", create_when_both_arrive):
        threads = [threading.Thread(target=start) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
    assert failed == []
    assert len(made) == 2
    assert made[0] == made[1]
    assert MonitoringReport.objects.filter(council=council).count() == 1
