from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CredentialsConfig(AppConfig):
    name = "skillspassport.credentials"
    label = "credentials"
    verbose_name = "Verifiable credentials"

    def ready(self) -> None:
        from skillspassport.credentials.panels import PANELS
        from skillspassport.credentials.receivers import issue_on_levels_reached
        from skillspassport.people.panels import register
        from skillspassport.skills.signals import levels_reached

        levels_reached.connect(issue_on_levels_reached, dispatch_uid="credentials.auto_issue")
        register(*PANELS)
        post_migrate.connect(
            sign_unsigned_status_lists, sender=self, dispatch_uid="credentials.sign_status_lists"
        )


def sign_unsigned_status_lists(sender: AppConfig, **kwargs: Any) -> None:
    """After `migrate`, publish any status list made before lists were signed as they were made
    (a public GET never signs one), so a deployment that upgrades keeps answering for them."""
    from skillspassport.credentials.services import status_lists_sign

    status_lists_sign()
