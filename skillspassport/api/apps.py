from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "skillspassport.api"
    label = "api"
    verbose_name = "Partner API"

    def ready(self) -> None:
        # The OpenAPI description of the bearer-token scheme (drf-spectacular extension).
        from skillspassport.api import schema  # noqa: F401
