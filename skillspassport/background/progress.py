"""How a job reports how far it has gone: to its `Work` row (the progress page), and to a
progress bar when a command runs it in the terminal."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.utils import timezone

if TYPE_CHECKING:
    from skillspassport.background.models import Work

WRITE_EVERY_SECONDS = 0.5


class Progress:
    def __init__(self, work: Work, on_change: Callable[[Work], None] | None = None) -> None:
        self.work = work
        self._on_change = on_change
        self._written = 0.0

    def start(self, total: int | None, message: str = "") -> None:
        """Say how many steps there are (None when not known)."""
        self.work.total = total
        self.work.done = 0
        if message:
            self.work.message = message[:300]
        self._write(force=True)

    def advance(self, steps: int = 1, message: str = "") -> None:
        self.work.done += steps
        if message:
            self.work.message = message[:300]
        self._write(force=self.work.total is not None and self.work.done >= self.work.total)

    def note(self, message: str) -> None:
        self.work.message = message[:300]
        self._write(force=True)

    def _write(self, *, force: bool) -> None:
        if self._on_change is not None:
            self._on_change(self.work)
        now = time.monotonic()
        if not force and now - self._written < WRITE_EVERY_SECONDS:
            return
        self._written = now
        from skillspassport.background.models import Work

        self.work.heartbeat_at = timezone.now()
        Work.objects.filter(pk=self.work.pk).update(
            total=self.work.total,
            done=self.work.done,
            message=self.work.message,
            heartbeat_at=self.work.heartbeat_at,
        )
