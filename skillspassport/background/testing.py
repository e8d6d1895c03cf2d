"""For tests: run what is on the database queue, as a worker would, in this process."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from skillspassport.background.models import Work, WorkStatus


def drain(*, limit: int = 1000) -> int:
    """Run every ready task on the database queue (including tasks those tasks enqueue, up to
    `limit`); return how many ran. Deferred tasks (retries) run when their time has come."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while ran < limit:
        task_result = DBTaskResult.objects.ready().order_by("-priority", "enqueued_at").first()
        if task_result is None:
            return ran
        task_result.claim(worker.worker_id)
        worker.run_task(task_result)
        ran += 1
    return ran


def stop_worker_midway(work: Work, *, done: int, state: dict[str, Any] | None = None) -> None:
    """Leave `work` as a worker killed in the middle of it leaves it: its task claimed by the
    dead worker (so never run by itself), the row RUNNING with a heartbeat an hour old, `done`
    steps reported and `state` its last checkpoint. The caller has done that part of the work
    (committed batches); `work_recover()` then `drain()` is a new worker taking over."""
    for task_result in DBTaskResult.objects.ready():
        if task_result.args_kwargs.get("args") == [str(work.pk)]:
            task_result.claim("killed-worker")
    Work.objects.filter(pk=work.pk).update(
        status=WorkStatus.RUNNING,
        attempts=1,
        started_at=timezone.now() - timedelta(hours=1),
        heartbeat_at=timezone.now() - timedelta(hours=1),
        done=done,
        result=state or {},
    )
