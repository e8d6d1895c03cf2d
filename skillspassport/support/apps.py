from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "skillspassport.support"
    label = "support"
    verbose_name = "Employment support and casework"
