"""The Django admin: for platform operators only, with two-factor sign-in.

Council administrators never reach it: they manage their own council's users in the app
(`/organisation/users/`), where every change is scoped to their council and audited. The admin
is not scoped by council, so it opens only to an active superuser who has signed in to it with
a password *and* a code from a registered TOTP device (django-otp). Create one with
`manage.py platform_operator_create`; see docs/roles.md.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class PlatformOperatorAuthenticationForm(OTPAdminAuthenticationForm):
    """The admin's sign-in: password, then a device and its code; platform operators only."""

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if not user.is_superuser:
            raise forms.ValidationError(
                "The Django admin is for platform operators only. Council administrators "
                "manage their users under Users in the app.",
                code="not_operator",
            )


class PlatformOperatorsAdminSite(OTPAdminSite):
    site_header = "Skills Passport platform administration"
    site_title = "Skills Passport platform administration"
    index_title = "Organisations, platform operators and reference data"
    login_form = PlatformOperatorAuthenticationForm

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff and user.is_superuser):
            return False
        is_verified = getattr(user, "is_verified", None)
        return bool(is_verified is not None and is_verified())
