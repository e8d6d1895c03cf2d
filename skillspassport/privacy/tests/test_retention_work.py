"""Retention runs as background work, and the daily schedule runs it with recovery and
pruning."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from skillspassport.background.models import Work, WorkStatus
from skillspassport.background.services import work_recover
from skillspassport.background.testing import drain, stop_worker_midway
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.privacy.jobs import retention_run_start
from skillspassport.privacy.models import Erasure
from skillspassport.privacy.tests.test_retention import _backdate, _rule


@pytest.fixture
def people(council, staff):
    """Two residents with no activity for eight years (a five-year rule erases both)."""
    return [
        _backdate(ResidentFactory(organisation=council, user=staff["adviser"]), 8) for _ in range(2)
    ]


def test_a_retention_run_stopped_half_way_erases_each_resident_once(
    council,
    staff,
    people,
    django_capture_on_commit_callbacks,
):
    _rule(council, staff["administrator"])
    with django_capture_on_commit_callbacks(execute=True):
        work = retention_run_start()
    stop_worker_midway(work, done=0)
    work_recover()
    drain()
    work.refresh_from_db()
    assert work.status == WorkStatus.SUCCEEDED
    assert work.result["total"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        again = retention_run_start()
    drain()
    again.refresh_from_db()
    assert again.result["total"] == 0  # the erased are not erased again
    assert Erasure.objects.count() == 2


def test_the_schedule_recovers_work_applies_retention_and_prunes(
    council,
    staff,
    people,
):
    _rule(council, staff["administrator"])
    lost = retention_run_start(queue=False)
    Work.objects.filter(pk=lost.pk).update(
        status=WorkStatus.RUNNING, attempts=1, heartbeat_at=timezone.now() - timedelta(hours=1)
    )
    old = DBTaskResult.objects.create(
        task_path="skillspassport.background.tasks.run_work",
        args_kwargs={"args": ["x"], "kwargs": {}},
        status="SUCCESSFUL",
        backend_name="default",
        queue_name="default",
        finished_at=timezone.now() - timedelta(days=30),
    )
    out = StringIO()
    call_command("run_schedule", stdout=out)
    text = out.getvalue()
    assert "Queued again 1 piece(s)" in text
    assert "Retention: anonymised 2." in text
    assert Erasure.objects.count() == 2
    assert not DBTaskResult.objects.filter(pk=old.pk).exists()
