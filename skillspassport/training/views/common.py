"""What every training page needs."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from skillspassport.accounts.models import User
from skillspassport.training import selectors


def require_training(user: User) -> None:
    """PermissionDenied unless the user runs training somewhere."""
    if not selectors.training_organisation_ids(user=user):
        raise PermissionDenied
