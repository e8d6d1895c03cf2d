from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "skillspassport.people"

    def ready(self) -> None:
        from skillspassport.people.panels import PANELS, register

        register(*PANELS)
