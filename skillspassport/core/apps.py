from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    name = "skillspassport.core"
    default = True


class AdminConfig(admin_apps.AdminConfig):
    """The Django admin, open only to platform operators who signed in with a TOTP code."""

    default = False
    default_site = "skillspassport.core.admin_site.PlatformOperatorsAdminSite"
