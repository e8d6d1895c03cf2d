from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "skillspassport.employers"
    label = "employers"
    verbose_name = "Employers and opportunities"
