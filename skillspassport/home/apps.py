from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The site's front door: the dashboard, the navigation, and loading every app's reference
    data."""

    name = "skillspassport.home"
