from typing import Any

from django.core.management.base import BaseCommand

from skillspassport.credentials.services import status_lists_sign


class Command(BaseCommand):
    help = (
        "Sign every status list that has no signed copy to publish yet. Lists are signed as "
        "they are made, with an issuer's first credential, and `migrate` signs any made before "
        "that was so; this does the same on demand."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        signed = status_lists_sign()
        self.stdout.write(f"Signed {signed} status list{'' if signed == 1 else 's'}.")
