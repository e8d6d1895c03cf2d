"""Starting, running, retrying and recovering long work; sending notifications.

Work is started inside the caller's transaction and put on the queue only after that
transaction commits (`transaction.on_commit`), so work is never run for a change that rolled
back, and a worker never looks for a row it cannot see yet. Failures are retried with backoff
(`BACKGROUND_RETRY_SECONDS`, then 4 times longer each time), then kept as failed with the
error for administrators.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from skillspassport.accounts.models import Organisation, User
from skillspassport.background.models import (
    Notification,
    NotificationStatus,
    Work,
    WorkStatus,
)
from skillspassport.background.progress import Progress
from skillspassport.background.registry import JOBS, JobRefusedError

logger = logging.getLogger(__name__)


def work_start(
    *,
    kind: str,
    title: str,
    params: dict[str, Any] | None = None,
    council: Organisation | None = None,
    started_by: User | None = None,
    key: str = "",
    max_attempts: int = 3,
    queue: bool = True,
) -> Work:
    """Record a piece of long work and queue it once the current transaction commits.

    With a `key`, starting the same kind of work again while one with that key is unfinished
    returns the unfinished one instead of starting a second (a double click, two app servers).
    With `queue=False` the caller runs it itself (`work_run`, as a command's `--now` does); if
    that process stops, `work_recover` puts it on the queue.
    """
    if kind not in JOBS:
        raise ValueError(f"No job is registered as {kind!r}.")
    if key:
        existing = Work.objects.unfinished().filter(kind=kind, key=key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            work = Work.objects.create(
                kind=kind,
                title=title[:200],
                params=params or {},
                council=council,
                started_by=started_by if started_by and started_by.pk else None,
                key=key[:200],
                max_attempts=max_attempts,
            )
    except IntegrityError:
        # Another request started the same work between our check and our insert.
        return Work.objects.unfinished().get(kind=kind, key=key)
    if queue:
        transaction.on_commit(lambda: _enqueue_work(work.pk))
    return work


def _enqueue_work(work_id: Any, *, delay: timedelta | None = None) -> None:
    from skillspassport.background.tasks import run_work

    task = run_work
    if delay is not None and task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + delay)
    result = task.enqueue(str(work_id))
    Work.objects.filter(pk=work_id).update(task_id=str(result.id)[:64])


def retry_delay(attempt: int) -> timedelta:
    """How long to wait before try number `attempt + 1`: 30 s, 2 min, 8 min… by default."""
    return timedelta(seconds=settings.BACKGROUND_RETRY_SECONDS * 4 ** max(0, attempt - 1))


def work_run(*, work_id: str, on_change: Callable[[Work], None] | None = None) -> Work | None:
    """Run one attempt of a piece of work (what the queue's task does).

    Running work that has already finished does nothing, so a task delivered twice is harmless.
    """
    with transaction.atomic():
        work = Work.objects.select_for_update().filter(pk=work_id).first()
        if work is None or work.finished:
            return work
        now = timezone.now()
        work.status = WorkStatus.RUNNING
        work.attempts += 1
        work.started_at = work.started_at or now
        work.heartbeat_at = now
        work.save(update_fields=["status", "attempts", "started_at", "heartbeat_at"])
    progress = Progress(work, on_change)
    try:
        result = JOBS[work.kind].function(work, progress)
    except Exception as exc:
        _attempt_failed(work, exc)
        return work
    work.status = WorkStatus.SUCCEEDED
    work.result = result or {}
    work.error = ""
    work.finished_at = timezone.now()
    if work.total is not None:
        work.done = max(work.done, work.total)
    work.save(update_fields=["status", "result", "error", "finished_at", "done", "message"])
    if on_change is not None:
        on_change(work)
    return work


def _attempt_failed(work: Work, exc: Exception) -> None:
    logger.exception("Work %s (%s) failed on attempt %s", work.pk, work.kind, work.attempts)
    work.error = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:4000]
    if isinstance(exc, JobRefusedError):
        work.error = str(exc)[:4000]
    if work.attempts < work.max_attempts and not isinstance(exc, JobRefusedError):
        work.status = WorkStatus.RETRYING
        delay = retry_delay(work.attempts)
        work.message = f"Attempt {work.attempts} failed; trying again in {_plain(delay)}."
        work.save(update_fields=["status", "error", "message"])
        _enqueue_work(work.pk, delay=delay)
    else:
        work.status = WorkStatus.FAILED
        work.finished_at = timezone.now()
        work.message = (
            "Stopped: trying again would not help."
            if isinstance(exc, JobRefusedError)
            else f"Stopped after {work.attempts} attempts."
        )
        work.save(update_fields=["status", "error", "message", "finished_at"])


def _plain(delay: timedelta) -> str:
    seconds = int(delay.total_seconds())
    if seconds < 120:
        return f"{seconds} seconds"
    return f"{seconds // 60} minutes"


def work_recover(*, stale_after: timedelta | None = None) -> list[Work]:
    """Queue again the work a stopped worker left behind.

    Work that says it is running but has not reported for `stale_after` (default
    `BACKGROUND_STALE_MINUTES`) was running in a worker that stopped; work still waiting with no
    task was never put on the queue (the process stopped between commit and enqueue). Each is
    queued again — jobs are safe to run again — unless it has used all its attempts.
    """
    stale_after = stale_after or timedelta(minutes=settings.BACKGROUND_STALE_MINUTES)
    cutoff = timezone.now() - stale_after
    recovered = []
    candidates = Work.objects.filter(status=WorkStatus.RUNNING, heartbeat_at__lt=cutoff) | (
        Work.objects.filter(
            status__in=[WorkStatus.QUEUED, WorkStatus.RETRYING], task_id="", created_at__lt=cutoff
        )
    )
    for work in candidates:
        if work.status == WorkStatus.RUNNING and work.attempts >= work.max_attempts:
            work.status = WorkStatus.FAILED
            work.finished_at = timezone.now()
            work.error = work.error or "The worker running it stopped."
            work.message = f"Stopped after {work.attempts} attempts."
            work.save(update_fields=["status", "finished_at", "error", "message"])
            continue
        if work.status == WorkStatus.RUNNING:
            work.status = WorkStatus.QUEUED
            work.message = "Starting again: the worker running it stopped."
            work.save(update_fields=["status", "message"])
        _enqueue_work(work.pk)
        recovered.append(work)
    return recovered


# Notifications -----------------------------------------------------------------------------


def notify(
    *,
    kind: str,
    to: str,
    subject: str,
    body: str,
    council: Organisation | None = None,
) -> Notification | None:
    """Send `subject` and `body` to `to` after the current transaction commits.

    Nothing is sent if the transaction rolls back (the row and its queue entry go with it).
    Say nothing the recipient may not see: notifications name no resident; they say what
    happened and link to the page where the recipient, once signed in, sees what they may.
    """
    if not to:
        return None
    notification = Notification.objects.create(
        kind=kind, to=to, subject=subject[:200], body=body, council=council
    )
    transaction.on_commit(lambda: _enqueue_notification(notification.pk))
    return notification


def _enqueue_notification(notification_id: Any, *, delay: timedelta | None = None) -> None:
    from skillspassport.background.tasks import send_notification

    task = send_notification
    if delay is not None and task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + delay)
    task.enqueue(str(notification_id))


def notification_send(*, notification_id: str) -> Notification | None:
    """Send one notification once. The row is locked while it is sent, so two workers given
    the same notification send it once."""
    from skillspassport.background import senders

    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.status != NotificationStatus.WAITING:
            return notification
        notification.attempts += 1
        try:
            senders.send(notification)
        except Exception as exc:
            logger.exception("Notification %s failed", notification.pk)
            notification.error = "".join(traceback.format_exception_only(type(exc), exc))[:2000]
            if notification.attempts >= settings.BACKGROUND_NOTIFICATION_ATTEMPTS:
                notification.status = NotificationStatus.FAILED
            notification.save(update_fields=["attempts", "error", "status"])
            if notification.status == NotificationStatus.WAITING:
                delay = retry_delay(notification.attempts)
                transaction.on_commit(lambda: _enqueue_notification(notification.pk, delay=delay))
            return notification
        notification.status = NotificationStatus.SENT
        notification.sent_at = timezone.now()
        notification.error = ""
        notification.save(update_fields=["attempts", "status", "sent_at", "error"])
    return notification


def absolute_url(path: str) -> str:
    """A link for a message read outside the service (there is no request to build it from)."""
    return f"{settings.SITE_URL}{path}"
