from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from skillspassport.accounts.models import Organisation, OrganisationKind
from skillspassport.background.cli import add_run_arguments, follow, queued
from skillspassport.skills.models import LevelRuleSet
from skillspassport.skills.services import scheme_adopt


class Command(BaseCommand):
    help = (
        "Move a council's scheme to a framework version (and rule set) and recompute every "
        "passport in it, with a progress bar. Evidence is kept; level changes go into each "
        "resident's history. --wait or --queue hand the recompute to a worker instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--council", required=True, help="The council's name, as stored.")
        parser.add_argument("--framework", required=True, help="Framework version, e.g. 2026.1")
        parser.add_argument("--rules", default="default", help="Rule set name (default: default)")
        add_run_arguments(parser)

    def handle(self, *args: Any, council: str, framework: str, rules: str, **opts: Any) -> None:
        org = Organisation.objects.filter(name=council, kind=OrganisationKind.COUNCIL).first()
        if org is None:
            raise CommandError(f"No council called '{council}'.")
        rule_set = (
            LevelRuleSet.objects.select_related("framework")
            .filter(framework__code=framework, name=rules)
            .first()
        )
        if rule_set is None:
            raise CommandError(
                f"No rule set '{rules}' for framework {framework}: load it with load_framework."
            )
        work = scheme_adopt(council=org, rule_set=rule_set, queue=queued(opts))
        work = follow(self, work, options=opts, unit=" residents")
        if work.finished:
            changed = work.result.get("changed", 0)
            self.stdout.write(
                f"{org.name} now uses framework {framework} ({rules} rules); "
                f"{changed} residents' levels changed."
            )
        else:
            self.stdout.write(f"{org.name} now uses framework {framework} ({rules} rules).")
