"""Long work that runs on the task queue, and the notifications it sends.

A `Work` row is what a person sees of a piece of long work: what it is, who started it, how far
it has gone, and how it ended. The task queue (django-tasks) only carries the row's id; the row
is the record that survives a worker restart (docs/adr/0016-task-queue.md).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class WorkStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    RETRYING = "retrying", "Waiting to try again"
    SUCCEEDED = "succeeded", "Finished"
    FAILED = "failed", "Failed"


UNFINISHED = (WorkStatus.QUEUED, WorkStatus.RUNNING, WorkStatus.RETRYING)


class WorkQuerySet(models.QuerySet["Work"]):
    def unfinished(self) -> WorkQuerySet:
        return self.filter(status__in=UNFINISHED)


class Work(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    # Two starts of the same work with the same key while one is unfinished are one piece of
    # work (a database constraint, so it holds across app servers).
    key = models.CharField(max_length=200, blank=True)
    params = models.JSONField(default=dict, blank=True)
    council = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=WorkStatus.choices, default=WorkStatus.QUEUED)
    total = models.PositiveIntegerField(null=True, blank=True)
    done = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = WorkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key"],
                condition=Q(status__in=["queued", "running", "retrying"]) & ~Q(key=""),
                name="background_work_one_unfinished_per_key",
            )
        ]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]
        verbose_name_plural = "work"

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (WorkStatus.SUCCEEDED, WorkStatus.FAILED)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.status == WorkStatus.SUCCEEDED else None
        return min(100, round(100 * self.done / self.total))


class NotificationStatus(models.TextChoices):
    WAITING = "waiting", "Waiting to send"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Notification(models.Model):
    """One message to one person. Sent by a task after the change that caused it committed;
    the row makes sending idempotent (a task run twice sends once)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=60)
    council = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(
        max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.WAITING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to} ({self.get_status_display()})"
