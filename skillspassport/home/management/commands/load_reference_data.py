from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from skillspassport.targeting.services import shipped_slice_load


class Command(BaseCommand):
    help = (
        "Load all shipped reference data (skills framework, postcode lookup, the Liverpool City "
        "Region area-targeting slice). Idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("load_framework", verbosity=options["verbosity"])
        call_command("load_postcodes", verbosity=options["verbosity"])
        for message in shipped_slice_load():
            if options["verbosity"]:
                self.stdout.write(message)
