"""What the schedule runs (cron or a systemd timer, daily — docs/operations.md): queue again
the work a stopped worker left, apply the retention rules, and prune old task results."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend

from skillspassport.background.cli import add_run_arguments, follow, queued
from skillspassport.background.services import work_recover
from skillspassport.privacy.jobs import retention_run_start


class Command(BaseCommand):
    help = (
        "The daily schedule: queue again work left by a stopped worker, apply every council's "
        "retention rules (here with a progress bar, or --wait/--queue for a worker), and "
        "delete finished task-queue results older than --keep-days (database queue only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--keep-days",
            type=int,
            default=14,
            help="Keep finished task-queue results this many days (default 14).",
        )
        add_run_arguments(parser)

    def handle(self, *args: Any, keep_days: int, **options: Any) -> None:
        quiet = options["verbosity"] == 0
        say = (lambda text: None) if quiet else self.stdout.write
        recovered = work_recover()
        say(f"Queued again {len(recovered)} piece(s) of unfinished work.")

        work = follow(
            self, retention_run_start(queue=queued(options)), options=options, unit=" rules"
        )
        if work.finished:
            for line in work.result.get("lines", []):
                say(line)
            say(f"Retention: anonymised {work.result.get('total', 0)}.")

        if isinstance(task_backends["default"], DatabaseBackend):
            call_command(
                "prune_db_task_results",
                min_age_days=max(1, keep_days),
                queue_name="*",
                verbosity=options["verbosity"],
                stdout=self.stdout,
            )
        else:
            say("Task results are kept by the queue's own expiry (not the database queue).")
