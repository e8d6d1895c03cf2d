from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "skillspassport.privacy"
    verbose_name = "Data-subject rights"
