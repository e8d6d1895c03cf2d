"""Queue again the work a stopped worker left behind (the worker does this when it starts;
the schedule runs it too — see docs/operations.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from skillspassport.background.services import work_recover


class Command(BaseCommand):
    help = "Queue again work left unfinished by a worker that stopped."

    def handle(self, *args: Any, **options: Any) -> None:
        recovered = work_recover()
        self.stdout.write(f"Queued again {len(recovered)} piece(s) of unfinished work.")
