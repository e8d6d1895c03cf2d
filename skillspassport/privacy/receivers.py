"""What the privacy app does when something happens in an app below it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from skillspassport.accounts.models import User
from skillspassport.people.models import Resident
from skillspassport.privacy.services import revision_record


def keep_revision(
    sender: Any,
    *,
    resident: Resident,
    user: User | None,
    previous: Mapping[str, Any],
    **kwargs: Any,
) -> None:
    """Keep the values a resident's record had before a correction (rectification history)."""
    revision_record(resident=resident, user=user, previous=previous)
