from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Synthetic demo data for every app (`manage.py seed_demo`); never used in production."""

    name = "skillspassport.demo"
