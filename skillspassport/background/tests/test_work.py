"""Long work on the queue: run after commit, once, retried, recovered after a worker stops,
and seen only by those who may see it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from skillspassport.background.models import Work, WorkStatus
from skillspassport.background.registry import job
from skillspassport.background.services import work_recover, work_start
from skillspassport.background.testing import drain

RUNS: list[str] = []


@job("tests.count")
def count_to(work, progress):
    progress.start(work.params["to"], "Counting")
    for _ in range(work.params["to"]):
        progress.advance()
    RUNS.append(str(work.pk))
    return {"url": "/", "link_text": "Back to the start"}


FAILURES = {"left": 0}


@job("tests.flaky")
def flaky(work, progress):
    if FAILURES["left"] > 0:
        FAILURES["left"] -= 1
        raise RuntimeError("The national data server did not answer")
    return {}


@pytest.fixture(autouse=True)
def _reset(settings):
    RUNS.clear()
    FAILURES["left"] = 0
    settings.BACKGROUND_RETRY_SECONDS = 0


def start(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return work_start(**{"kind": "tests.count", "title": "Count", **kwargs})


def test_work_runs_after_commit_and_reports_its_progress(db, django_capture_on_commit_callbacks):
    work = start(django_capture_on_commit_callbacks, params={"to": 5})
    assert work.status == WorkStatus.QUEUED
    assert drain() == 1
    work.refresh_from_db()
    assert work.status == WorkStatus.SUCCEEDED
    assert (work.done, work.total, work.percent) == (5, 5, 100)
    assert work.result["url"] == "/"
    assert [str(work.pk)] == RUNS


def test_work_started_in_a_transaction_that_rolls_back_never_runs(db):
    def change_that_fails():
        with transaction.atomic():
            work_start(kind="tests.count", title="Count", params={"to": 1})
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert not Work.objects.exists()
    assert drain() == 0
    assert RUNS == []


def test_the_same_work_started_twice_while_unfinished_is_one_piece_of_work(
    db, django_capture_on_commit_callbacks
):
    first = start(django_capture_on_commit_callbacks, params={"to": 1}, key="framework-7")
    second = start(django_capture_on_commit_callbacks, params={"to": 1}, key="framework-7")
    assert first.pk == second.pk
    drain()
    assert len(RUNS) == 1
    third = start(django_capture_on_commit_callbacks, params={"to": 1}, key="framework-7")
    assert third.pk != first.pk  # once finished, it can be started again


def test_a_task_delivered_twice_runs_the_work_once(db, django_capture_on_commit_callbacks):
    from skillspassport.background.tasks import run_work

    work = start(django_capture_on_commit_callbacks, params={"to": 1})
    run_work.enqueue(str(work.pk))
    assert drain() == 2
    assert [str(work.pk)] == RUNS


def test_failures_are_retried_then_kept_with_the_error(db, django_capture_on_commit_callbacks):
    FAILURES["left"] = 1
    with django_capture_on_commit_callbacks(execute=True):
        work = work_start(kind="tests.flaky", title="Import national data")
    drain()
    work.refresh_from_db()
    assert work.status == WorkStatus.SUCCEEDED
    assert work.attempts == 2

    FAILURES["left"] = 10
    with django_capture_on_commit_callbacks(execute=True):
        work = work_start(kind="tests.flaky", title="Import national data", max_attempts=3)
    drain()
    work.refresh_from_db()
    assert work.status == WorkStatus.FAILED
    assert work.attempts == 3
    assert "The national data server did not answer" in work.error


def test_retries_wait_longer_each_time(settings):
    from skillspassport.background.services import retry_delay

    settings.BACKGROUND_RETRY_SECONDS = 30
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3)] == [30, 120, 480]


def test_work_left_running_by_a_stopped_worker_runs_again(db, django_capture_on_commit_callbacks):
    work = start(django_capture_on_commit_callbacks, params={"to": 3})
    # A worker claimed it, started it, then was killed: its task stays "running" for ever.
    task_result = DBTaskResult.objects.get()
    task_result.claim("killed-worker")
    Work.objects.filter(pk=work.pk).update(
        status=WorkStatus.RUNNING,
        attempts=1,
        heartbeat_at=timezone.now() - timedelta(hours=1),
        done=1,
    )
    assert drain() == 0  # nothing ready: the lost task is not run by itself

    recovered = work_recover()
    assert [w.pk for w in recovered] == [work.pk]
    assert drain() == 1
    work.refresh_from_db()
    assert work.status == WorkStatus.SUCCEEDED
    assert work.attempts == 2
    assert [str(work.pk)] == RUNS


def test_work_still_reporting_is_not_taken_for_lost(db, django_capture_on_commit_callbacks):
    work = start(django_capture_on_commit_callbacks, params={"to": 3})
    Work.objects.filter(pk=work.pk).update(
        status=WorkStatus.RUNNING, attempts=1, heartbeat_at=timezone.now()
    )
    assert work_recover() == []


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_runs_queued_work():
    work = work_start(kind="tests.count", title="Count", params={"to": 2})  # autocommit
    call_command("worker", "--batch", "--interval", "0")
    work.refresh_from_db()
    assert work.status == WorkStatus.SUCCEEDED


# The progress page ---------------------------------------------------------------------------


def test_the_progress_page_shows_how_far_it_has_got_and_refreshes_until_done(
    client, adviser, django_capture_on_commit_callbacks
):
    work = start(django_capture_on_commit_callbacks, params={"to": 4}, started_by=adviser)
    Work.objects.filter(pk=work.pk).update(status=WorkStatus.RUNNING, total=4, done=1)
    client.force_login(adviser)
    page = client.get(f"/work/{work.pk}/").content.decode()
    assert "1 of 4 done (25%)" in page
    assert 'http-equiv="refresh"' in page
    drain()
    page = client.get(f"/work/{work.pk}/").content.decode()
    assert "Finished" in page
    assert 'http-equiv="refresh"' not in page
    assert "Back to the start" in page


def test_work_is_seen_by_its_starter_and_their_administrators_only(
    client, staff, other_staff, django_capture_on_commit_callbacks
):
    work = start(
        django_capture_on_commit_callbacks,
        params={"to": 1},
        started_by=staff["adviser"],
        council=staff["adviser"].memberships.first().organisation,
    )
    for user, status in [
        (staff["adviser"], 200),
        (staff["administrator"], 200),
        (staff["tutor"], 404),
        (other_staff["administrator"], 404),
        (other_staff["adviser"], 404),
    ]:
        client.force_login(user)
        assert client.get(f"/work/{work.pk}/").status_code == status, user
    client.logout()
    assert client.get(f"/work/{work.pk}/").status_code == 302


def test_administrators_see_failed_work_of_their_council(
    client, staff, other_staff, django_capture_on_commit_callbacks
):
    council = staff["administrator"].memberships.first().organisation
    FAILURES["left"] = 5
    with django_capture_on_commit_callbacks(execute=True):
        work_start(kind="tests.flaky", title="Import national data", council=council)
    drain()
    client.force_login(staff["administrator"])
    page = client.get("/work/").content.decode()
    assert "Needs attention" in page
    assert "The national data server did not answer" in page
    client.force_login(other_staff["administrator"])
    assert "Import national data" not in client.get("/work/").content.decode()
