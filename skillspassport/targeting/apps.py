from django.apps import AppConfig


class TargetingConfig(AppConfig):
    name = "skillspassport.targeting"
    label = "targeting"
    verbose_name = "Area targeting"
