from typing import Any

from django.core.management.base import BaseCommand

from skillspassport.credentials.services import status_lists_sign


class Command(BaseCommand):
    help = (
        "Sign every status list that has no signed copy to publish yet. Lists are signed as "
        "they are made, with an issuer's first credential; lists made before that was so are "
        "not published (their URL answers 404) until this has run once."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        signed = status_lists_sign()
        self.stdout.write(f"Signed {signed} status list{'' if signed == 1 else 's'}.")
