"""Run a worker for the task queue: first queue again any work a stopped worker left behind,
then take tasks until stopped (Ctrl+C or SIGTERM finish the current task first)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django_tasks import task_backends

from skillspassport.background.services import work_recover


class Command(BaseCommand):
    help = "Run a task-queue worker (database backend by default, RQ when TASKS_BACKEND=rq)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")
        parser.add_argument(
            "--batch", action="store_true", help="Stop when the queue is empty (for scripts)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        recovered = work_recover()
        if recovered:
            self.stdout.write(f"Queued again {len(recovered)} piece(s) of unfinished work.")
        backend = task_backends["default"]
        if type(backend).__module__.startswith("django_tasks_rq"):
            call_command("rqworker", "default", burst=options["batch"])
            return
        worker_options: dict[str, Any] = {"interval": options["interval"]}
        if options["batch"]:
            worker_options["batch"] = True
        call_command("db_worker", **worker_options)
