from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class BackgroundConfig(AppConfig):
    name = "skillspassport.background"
    verbose_name = "Background work and notifications"

    def ready(self) -> None:
        # Each app declares its long work in its own `jobs.py` (see registry.job).
        autodiscover_modules("jobs")
