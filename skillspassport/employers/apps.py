from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "skillspassport.employers"
    label = "employers"
    verbose_name = "Employers and opportunities"

    def ready(self) -> None:
        from django.conf import settings

        from skillspassport.employers import skillsmap

        skillsmap.configure(index_dir=settings.SKILLS_MAP_INDEX_DIR)
