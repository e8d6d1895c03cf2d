"""What employers do when something happens elsewhere (connected in `apps.py`)."""

from __future__ import annotations

from typing import Any

from skillspassport.accounts.models import User
from skillspassport.people.models import ConsentPurpose, Resident


def close_referrals_on_withdrawal(
    sender: Any,
    *,
    resident: Resident,
    purpose: str,
    user: User,
    request: Any = None,
    **kwargs: Any,
) -> None:
    """A resident who no longer agrees to be put forward leaves every open referral."""
    if purpose != ConsentPurpose.PUT_FORWARD:
        return
    from skillspassport.employers.services import referrals_close_for_consent

    referrals_close_for_consent(actor=user, resident=resident, request=request)
