from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "skillspassport.funding"
    label = "funding"
    verbose_name = "Funds and projects"
