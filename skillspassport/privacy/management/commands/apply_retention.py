from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from skillspassport.accounts.models import Organisation, OrganisationKind
from skillspassport.background.cli import add_run_arguments, follow, queued
from skillspassport.privacy.jobs import retention_run_start
from skillspassport.privacy.models import RetentionRule
from skillspassport.privacy.services import retention_apply


class Command(BaseCommand):
    help = (
        "Apply every council's active retention rules: anonymise residents whose last activity "
        "is older than the rule allows. With --dry-run, only list what would be done (counts "
        "and resident references, never names). Runs here with a progress bar; --wait or --queue "
        "hand it to a worker. The schedule runs it daily (manage.py run_schedule)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Change nothing; list what would be done."
        )
        parser.add_argument(
            "--council", default="", help="Only this council's rules (its name, as stored)."
        )
        add_run_arguments(parser)

    def handle(self, *args: Any, dry_run: bool, council: str, **options: Any) -> None:
        org = None
        rules = RetentionRule.objects.filter(active=True).select_related("council")
        if council:
            org = Organisation.objects.filter(name=council, kind=OrganisationKind.COUNCIL).first()
            if org is None:
                raise CommandError(f"No council called '{council}'.")
            rules = rules.filter(council=org)
        rules = rules.order_by("council__name", "scope")
        if not rules.exists():
            self.stdout.write("No active retention rules.")
            return
        if not dry_run:
            work = follow(
                self,
                retention_run_start(council=org if council else None, queue=queued(options)),
                options=options,
                unit=" rules",
            )
            if work.finished:
                for line in work.result.get("lines", []):
                    self.stdout.write(line)
                self.stdout.write(f"Total: anonymised {work.result.get('total', 0)}.")
            return
        outcomes = retention_apply(user=None, rules=list(rules), dry_run=dry_run)
        verb = "would anonymise" if dry_run else "anonymised"
        total = 0
        for outcome in outcomes:
            count = len(outcome.candidates) if dry_run else outcome.erased
            total += count
            self.stdout.write(f"{outcome.rule.council.name} — {outcome.rule}: {verb} {count}")
            for candidate in outcome.candidates:
                self.stdout.write(
                    f"  {candidate.public_id}  last activity {candidate.last_activity:%Y-%m-%d}"
                )
        self.stdout.write(f"Total: {verb} {total}." + (" Nothing was changed." if dry_run else ""))
