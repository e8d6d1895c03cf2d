import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from skillspassport.accounts.models import Organisation
from skillspassport.api import services
from skillspassport.api.roles import CLIENT_ROLES
from skillspassport.api.scopes import SCOPES
from skillspassport.credentials import services as client_services


class Command(BaseCommand):
    help = (
        "Create an API client of a council for the partner API, acting for one organisation "
        "(the council or a partner of it) with the scopes given. The secret is printed once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="Its name, as stored.")
        parser.add_argument("--name", required=True, help="A name for the partner system.")
        parser.add_argument(
            "--scope",
            action="append",
            default=[],
            choices=sorted(SCOPES),
            help="A scope it may ask for (repeat for more).",
        )
        parser.add_argument(
            "--role",
            choices=CLIENT_ROLES,
            help="The role its account holds (default by the kind of organisation).",
        )
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(name=options["organisation"]).first()
        if organisation is None or organisation.scheme_council is None:
            raise CommandError(f"No organisation called '{options['organisation']}' in a scheme.")
        try:
            client, secret = client_services.api_client_create(
                council=organisation.scheme_council,
                name=options["name"],
                allowed_awards=[],
                user=None,
            )
            access = services.partner_access_grant(
                client=client,
                organisation=organisation,
                scopes=options["scope"],
                role=options["role"],
                user=None,
            )
        except (client_services.RegistryError, services.PartnerAccessError) as exc:
            raise CommandError(str(exc)) from exc
        result = {
            "client_id": client.application.client_id,
            "client_secret": secret,
            "token_endpoint": f"{settings.SITE_URL}/o/token/",
            "organisation": organisation.name,
            "scopes": " ".join(access.scopes),
        }
        if options["json"]:
            self.stdout.write(json.dumps(result))
            return
        for label, value in result.items():
            self.stdout.write(f"{label}: {value}")
        self.stdout.write("Keep the secret safe: it is not shown again.")
