from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from skillspassport.accounts.models import Organisation, OrganisationKind
from skillspassport.credentials.keystore import issuer_key_rotate, verification_method


class Command(BaseCommand):
    help = (
        "Start a new signing key for a council. The old key stops signing but stays published "
        "in the council's DID document, so credentials it signed still verify."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--council", required=True, help="The council's name, as stored.")

    def handle(self, *args: Any, council: str, **options: Any) -> None:
        org = Organisation.objects.filter(name=council, kind=OrganisationKind.COUNCIL).first()
        if org is None:
            raise CommandError(f"No council called '{council}'.")
        key = issuer_key_rotate(org)
        self.stdout.write(f"{org.name} now signs with {verification_method(key)}.")
