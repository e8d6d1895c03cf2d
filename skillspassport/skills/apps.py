from django.apps import AppConfig


class SkillsConfig(AppConfig):
    name = "skillspassport.skills"

    def ready(self) -> None:
        from skillspassport.people.panels import register
        from skillspassport.skills.panels import PANELS

        register(*PANELS)
