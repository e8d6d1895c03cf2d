from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from skillspassport.accounts.access import council_choice
from skillspassport.accounts.roles import Capability
from skillspassport.accounts.selectors import (
    administers_a_council,
    scheme_council_name,
    user_has_capability,
)
from skillspassport.audit.selectors import audit_councils_for

SERVICE_NAME = "Skills Passport"


def service(request: HttpRequest) -> dict[str, Any]:
    # Error pages can render before the authentication middleware has run.
    user = getattr(request, "user", None)
    nav: list[tuple[str, str]] = []
    if user is not None and user.is_authenticated:
        nav.append(("Dashboard", "/"))
        if user_has_capability(user=user, capability=Capability.VIEW_RESIDENTS):
            nav.append(("Residents", "/residents/"))
        if user_has_capability(
            user=user, capability=Capability.MANAGE_EMPLOYERS
        ) or user_has_capability(user=user, capability=Capability.REFER_RESIDENTS):
            nav.append(("Employers", "/employers/"))
        elif user_has_capability(user=user, capability=Capability.EMPLOYER_PORTAL):
            nav.append(("Your organisation", "/employers/"))
        if user_has_capability(user=user, capability=Capability.VIEW_AGGREGATES):
            nav.append(("Priority areas", "/targeting/"))
            nav.append(("Reports", "/reports/"))
        if user_has_capability(user=user, capability=Capability.RUN_TRAINING):
            nav.append(("Training", "/training/"))
        if user_has_capability(user=user, capability=Capability.MANAGE_CASES):
            nav.append(("Casework", "/support/"))
        if user_has_capability(user=user, capability=Capability.APPROVE_BUDGETS):
            nav.append(("Approvals", "/support/approvals/"))
        if user_has_capability(
            user=user, capability=Capability.MANAGE_FUNDING
        ) or user_has_capability(user=user, capability=Capability.ASSESS_PROPOSALS):
            nav.append(("Funding", "/funding/"))
        if administers_a_council(user=user):
            nav.append(("Credentials", "/issuing/"))
        if user_has_capability(user=user, capability=Capability.MANAGE_USERS):
            nav.append(("Users", "/organisation/users/"))
        if user_has_capability(user=user, capability=Capability.VIEW_AUDIT) and (
            audit_councils_for(user=user).exists()
        ):
            nav.append(("Audit log", "/audit/"))
        nav.append(("Skills framework", "/framework/"))
    return {
        "service_name": SERVICE_NAME,
        "site_url": settings.SITE_URL,
        "primary_nav": nav,
        "scheme_owner": scheme_council_name(user=user, choice=council_choice(request))
        if nav and user
        else "",
    }
