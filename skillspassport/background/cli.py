"""Long work started from the command line, with a progress bar.

A command that starts a job offers three ways to run it:

- `--now` (the default, so scripts find the work done when the command returns): run it in
  this process with a progress bar; the work still has its row and progress page;
- `--wait`: put it on the queue for a worker and show a progress bar that follows its row
  until it ends;
- `--queue`: put it on the queue and print the address of its progress page.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from tqdm import tqdm

from skillspassport.background.models import Work, WorkStatus
from skillspassport.background.services import work_run, work_start

POLL_SECONDS = 0.5


def add_run_arguments(parser: CommandParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--now",
        dest="run_mode",
        action="store_const",
        const="now",
        help="Run the work in this process with a progress bar (the default).",
    )
    group.add_argument(
        "--wait",
        dest="run_mode",
        action="store_const",
        const="wait",
        help="Put the work on the queue and follow it with a progress bar until it ends.",
    )
    group.add_argument(
        "--queue",
        dest="run_mode",
        action="store_const",
        const="queue",
        help="Put the work on the queue and print the address of its progress page.",
    )
    parser.set_defaults(run_mode="now")


def progress_page(work: Work) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("background:detail", args=[work.pk])


def queued(options: dict[str, Any]) -> bool:
    """Whether the command's options hand the work to a worker (else the command runs it)."""
    return (options.get("run_mode") or "now") != "now"


def run_from_command(
    command: BaseCommand, *, options: dict[str, Any], unit: str = " steps", **start: Any
) -> Work:
    """Start the work described by `start` (the arguments of `work_start`) and run it the way
    the command's options ask (see `follow`)."""
    work = work_start(**start, queue=queued(options))
    return follow(command, work, options=options, unit=unit)


def follow(
    command: BaseCommand, work: Work, *, options: dict[str, Any], unit: str = " steps"
) -> Work:
    """Run or follow work started with `queue=queued(options)`. Returns the work, finished
    unless `--queue` was given; raises CommandError when it did not succeed."""
    mode = options.get("run_mode") or "now"
    quiet = options.get("verbosity", 1) == 0
    if mode == "queue":
        if not quiet:
            command.stdout.write(f"{work.title}: queued. Progress: {progress_page(work)}")
        return work
    with tqdm(desc=work.title[:40], unit=unit, disable=quiet) as bar:

        def show(seen: Work) -> None:
            if seen.total is not None and bar.total != seen.total:
                bar.total = seen.total
            bar.n = seen.done
            if seen.message:
                bar.set_postfix_str(seen.message[:60], refresh=False)
            bar.refresh()

        if mode == "now":
            work_run(work_id=str(work.pk), on_change=show)
        else:
            while True:
                seen = Work.objects.get(pk=work.pk)
                show(seen)
                if seen.finished:
                    break
                time.sleep(POLL_SECONDS)
    work.refresh_from_db()
    if work.status != WorkStatus.SUCCEEDED:
        later = "" if work.finished else " A worker will try it again."
        raise CommandError(f"{work.title} did not finish: {work.error or work.message}.{later}")
    return work
