"""Reads of the partner API's own records."""

from __future__ import annotations

from typing import Any

from skillspassport.api.models import IdempotentRequest, PartnerAccess


def access_for_application(*, application: Any) -> PartnerAccess | None:
    """The partner access of a live API client holding the OAuth application, if any; its
    account must still be active (deactivating it in Users stops the client)."""
    return (
        PartnerAccess.objects.select_related("api_client__council", "organisation", "account")
        .filter(
            api_client__application=application,
            api_client__revoked_at=None,
            account__is_active=True,
        )
        .first()
    )


def idempotent_answer(*, access: PartnerAccess, key: str) -> IdempotentRequest | None:
    return IdempotentRequest.objects.filter(access=access, key=key).first()
