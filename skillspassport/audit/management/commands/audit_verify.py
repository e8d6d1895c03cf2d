"""Check that the audit log is whole: every event unaltered, none removed or inserted."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from skillspassport.audit.chain import audit_chain_verify


class Command(BaseCommand):
    help = (
        "Walk the audit log's hash chain and report the first altered, missing or out-of-chain "
        "event. Exits non-zero if the chain is broken. Keep the printed head hash somewhere "
        "outside the database to detect a rewrite of the whole chain later."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]

        def progress(checked: int) -> None:
            if verbosity > 1:
                self.stdout.write(f"  {checked} events checked")

        report = audit_chain_verify(progress=progress)
        if not report.ok:
            raise CommandError(
                f"The audit chain is broken after {report.checked} good events. {report.problem}"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"The audit chain is whole: {report.checked} events. "
                f"Head: {report.head_seq} {report.head_hash}"
            )
        )
