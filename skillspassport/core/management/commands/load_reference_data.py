from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load all shipped reference data (skills framework, postcode lookup). Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("load_framework", verbosity=options["verbosity"])
        call_command("load_postcodes", verbosity=options["verbosity"])
