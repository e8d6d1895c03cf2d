from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "skillspassport.reports"
    label = "reports"
    verbose_name = "Monitoring reports"
