from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "skillspassport.credentials"
    label = "credentials"
    verbose_name = "Verifiable credentials"
