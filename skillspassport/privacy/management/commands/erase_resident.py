from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from skillspassport.privacy.management.common import (
    add_operator_argument,
    operator,
    resident_by_public_id,
)
from skillspassport.privacy.selectors import erasure_for, resident_reference
from skillspassport.privacy.services import ErasureError, resident_erase


class Command(BaseCommand):
    help = (
        "Erase (anonymise) one resident's record at their request. Cannot be undone. Asks you "
        "to type the resident's reference unless --confirm gives it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("public_id", help="The resident's id (the UUID in their page's URL).")
        parser.add_argument(
            "--confirm",
            metavar="REFERENCE",
            default="",
            help="The resident's reference (first 8 characters of the id), for scripted use.",
        )
        add_operator_argument(parser)

    def handle(self, *args: Any, public_id: str, confirm: str, by: str, **options: Any) -> None:
        resident = resident_by_public_id(public_id)
        user = operator(by)
        if erasure_for(resident=resident) is not None:
            raise CommandError("This resident's record has already been erased.")
        reference = resident_reference(resident.public_id)
        if not confirm:
            if not options.get("interactive", True):
                raise CommandError("Give --confirm REFERENCE when not asking interactively.")
            self.stdout.write(
                f"This anonymises resident {resident.public_id} of {resident.organisation.name} "
                "for good: names, date of birth, contact details, address, notes, receipts and "
                "share links are removed, credentials revoked and consents withdrawn."
            )
            confirm = input(f"Type the reference {reference} to confirm: ")
        try:
            result = resident_erase(user=user, resident=resident, confirmation=confirm)
        except ErasureError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Resident {reference} anonymised: {result.credentials_revoked} credentials revoked, "
            f"{result.consents_withdrawn} consents withdrawn."
        )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> Any:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Never ask: fail unless --confirm is given.",
        )
        return parser
