from django.contrib import admin
from django.http import HttpRequest


class AdministratorsAdminSite(admin.AdminSite):
    site_header = "Skills Passport administration"
    site_title = "Skills Passport administration"
    index_title = "Organisations, users and reference data"

    def has_permission(self, request: HttpRequest) -> bool:
        from skillspassport.accounts.roles import Capability
        from skillspassport.accounts.selectors import user_has_capability

        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        return bool(user.is_superuser) or user_has_capability(
            user=user,
            capability=Capability.MANAGE_ORGANISATION,
        )
