import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from skillspassport.accounts.models import Organisation, OrganisationKind
from skillspassport.credentials import keystore, selectors, services


class Command(BaseCommand):
    help = (
        "Create an API client (OAuth 2.0 client credentials) that may issue credentials as a "
        "council. The secret is printed once; only its hash is kept. Council administrators "
        "can do the same in the app, under Credentials."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--council", required=True, help="The council's name, as stored.")
        parser.add_argument("--name", required=True, help="A name for the partner system.")
        parser.add_argument(
            "--award",
            action="append",
            default=[],
            help='An award it may issue, as "strand:level" (repeat for more).',
        )
        parser.add_argument(
            "--all-awards", action="store_true", help="Every award the council issues."
        )
        parser.add_argument(
            "--sandbox",
            action="store_true",
            help="It may also use the sandbox issuer (an untrusted did:key, for test suites).",
        )
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        council = Organisation.objects.filter(
            name=options["council"], kind=OrganisationKind.COUNCIL
        ).first()
        if council is None:
            raise CommandError(f"No council called '{options['council']}'.")
        choices = [code for code, _label in selectors.council_award_choices(council=council)]
        awards = choices if options["all_awards"] else options["award"]
        unknown = sorted(set(awards) - set(choices))
        if unknown:
            raise CommandError(f"{council.name} has no award {', '.join(unknown)}.")
        try:
            client, secret = services.api_client_create(
                council=council,
                name=options["name"],
                allowed_awards=awards,
                sandbox=options["sandbox"],
                user=None,
            )
        except services.RegistryError as exc:
            raise CommandError(str(exc)) from exc
        result = {
            "client_id": client.application.client_id,
            "client_secret": secret,
            "token_endpoint": f"{settings.SITE_URL}/o/token/",
            "council_issuer": keystore.issuer_did(council),
            "sandbox_issuer": keystore.issuer_did(None) if client.sandbox else None,
        }
        if options["json"]:
            self.stdout.write(json.dumps(result))
            return
        for label, value in result.items():
            if value is not None:
                self.stdout.write(f"{label}: {value}")
        self.stdout.write("Keep the secret safe: it is not shown again.")
