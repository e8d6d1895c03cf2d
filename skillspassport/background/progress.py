"""How a job reports how far it has gone: to its `Work` row (the progress page), and to a
progress bar when a command runs it in the terminal."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

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

    @property
    def state(self) -> dict[str, Any]:
        """What an earlier attempt of this work saved with `checkpoint` (empty the first time)."""
        return dict(self.work.result or {})

    def checkpoint(self, **state: Any) -> None:
        """Save how far the work has got, with the count done, so that a later attempt (a
        retry, or after a worker stopped) carries on from here. Call it inside the transaction
        of the batch it describes: the batch and the checkpoint then commit together."""
        from skillspassport.background.models import Work

        self.work.result = {**(self.work.result or {}), **state}
        self.work.heartbeat_at = timezone.now()
        Work.objects.filter(pk=self.work.pk).update(
            result=self.work.result,
            total=self.work.total,
            done=self.work.done,
            message=self.work.message,
            heartbeat_at=self.work.heartbeat_at,
        )
        if self._on_change is not None:
            self._on_change(self.work)

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
