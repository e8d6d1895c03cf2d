from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    name = "skillspassport.core"
    default = True


class AdminConfig(admin_apps.AdminConfig):
    """The Django admin, open only to staff users who are administrators of an organisation."""

    default = False
    default_site = "skillspassport.core.admin_site.AdministratorsAdminSite"
