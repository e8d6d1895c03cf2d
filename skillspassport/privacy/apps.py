from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "skillspassport.privacy"
    verbose_name = "Data-subject rights"

    def ready(self) -> None:
        from skillspassport.people.signals import resident_changed
        from skillspassport.privacy.receivers import keep_revision

        resident_changed.connect(keep_revision, dispatch_uid="privacy.keep_revision")
