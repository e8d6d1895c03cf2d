from django.apps import AppConfig


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
        for panel in PANELS:
            register(panel)
