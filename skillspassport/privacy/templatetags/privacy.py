from __future__ import annotations

from typing import Any

from django import template

from skillspassport.accounts.roles import Capability
from skillspassport.accounts.selectors import user_has_capability

register = template.Library()


@register.simple_tag
def may_handle_rights(user: Any, resident: Any) -> bool:
    """Whether `user` may answer rights requests for `resident` (the rights page link)."""
    return user_has_capability(
        user=user,
        capability=Capability.HANDLE_RIGHTS_REQUESTS,
        organisation_id=resident.organisation_id,
    )
