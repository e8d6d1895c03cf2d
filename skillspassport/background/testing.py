"""For tests: run what is on the database queue, as a worker would, in this process."""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


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
