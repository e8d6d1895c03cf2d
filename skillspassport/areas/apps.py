from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "skillspassport.areas"
