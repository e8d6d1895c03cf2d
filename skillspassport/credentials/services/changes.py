"""Changing an issued credential: revoking, suspending and reinstating it (its status list
bit, signed again), and its share link."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from skillspassport.accounts.models import User
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record
from skillspassport.credentials import notifications
from skillspassport.credentials.models import (
    EndedShareLink,
    IssuedCredential,
    ShareLinkEnd,
    StatusPurpose,
)
from skillspassport.credentials.services.errors import CredentialError
from skillspassport.credentials.services.status import status_flip


def _audit(
    user: User | None, action: AuditAction, credential: IssuedCredential, summary: str, request: Any
) -> None:
    audit_record(
        user=user,
        action=action,
        resident=credential.resident,
        summary=summary,
        request=request,
    )


def share_token_digest(token: str) -> str:
    """How an ended share link is remembered: never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


def _share_link_ended(credential: IssuedCredential, why: ShareLinkEnd) -> None:
    """Remember that the credential's share link (if it has one) stopped working, and why."""
    if credential.share_token:
        EndedShareLink.objects.get_or_create(
            token_sha256=share_token_digest(credential.share_token),
            defaults={"credential": credential, "why": why},
        )


@transaction.atomic
def credential_revoke(
    *, user: User, credential: IssuedCredential, reason: str, request: Any = None
) -> None:
    credential = IssuedCredential.objects.select_for_update().get(pk=credential.pk)
    if credential.revoked_at is not None:
        raise CredentialError("This credential is already revoked.")
    if not reason.strip():
        raise CredentialError("Give a reason for revoking the credential.")
    credential.revoked_at, credential.revoked_by = timezone.now(), user
    credential.revocation_reason = reason.strip()
    _share_link_ended(credential, ShareLinkEnd.REVOKED)
    credential.share_token = None
    credential.save(update_fields=["revoked_at", "revoked_by", "revocation_reason", "share_token"])
    status_flip(credential, StatusPurpose.REVOCATION, True)
    _audit(
        user,
        AuditAction.CREDENTIAL_REVOKED,
        credential,
        # The reason stays on the credential (erasable), never in the log: it is free text.
        str(credential.document.get("name")),
        request,
    )


@transaction.atomic
def credential_suspend(
    *, user: User, credential: IssuedCredential, reason: str, request: Any = None
) -> None:
    credential = IssuedCredential.objects.select_for_update().get(pk=credential.pk)
    if credential.revoked_at is not None or credential.suspended_at is not None:
        raise CredentialError("Only an active credential can be suspended.")
    if not reason.strip():
        raise CredentialError("Give a reason for suspending the credential.")
    credential.suspended_at, credential.suspension_reason = timezone.now(), reason.strip()
    credential.save(update_fields=["suspended_at", "suspension_reason"])
    status_flip(credential, StatusPurpose.SUSPENSION, True)
    _audit(
        user,
        AuditAction.CREDENTIAL_SUSPENDED,
        credential,
        # The reason stays on the credential (erasable), never in the log: it is free text.
        str(credential.document.get("name")),
        request,
    )


@transaction.atomic
def credential_reinstate(*, user: User, credential: IssuedCredential, request: Any = None) -> None:
    credential = IssuedCredential.objects.select_for_update().get(pk=credential.pk)
    if credential.revoked_at is not None or credential.suspended_at is None:
        raise CredentialError("Only a suspended credential can be reinstated.")
    credential.suspended_at, credential.suspension_reason = None, ""
    credential.save(update_fields=["suspended_at", "suspension_reason"])
    status_flip(credential, StatusPurpose.SUSPENSION, False)
    _audit(
        user,
        AuditAction.CREDENTIAL_REINSTATED,
        credential,
        str(credential.document.get("name")),
        request,
    )


@transaction.atomic
def share_link_create(*, user: User, credential: IssuedCredential, request: Any = None) -> str:
    credential = IssuedCredential.objects.select_for_update().get(pk=credential.pk)
    if credential.revoked_at is not None:
        raise CredentialError("A revoked credential cannot be shared.")
    if credential.share_token is None:
        credential.share_token = secrets.token_urlsafe(32)
        credential.share_withdraw_token = secrets.token_urlsafe(32)
        credential.shared_at = timezone.now()
        credential.save(update_fields=["share_token", "share_withdraw_token", "shared_at"])
        audit_record(
            user=user,
            action=AuditAction.CREDENTIAL_SHARED,
            resident=credential.resident,
            summary=str(credential.document.get("name")),
            request=request,
        )
        notifications.share_link_made(credential)
    return credential.share_token


@transaction.atomic
def share_link_withdraw(
    *, user: User | None, credential: IssuedCredential, request: Any = None
) -> None:
    """Stop the share link working. `user` is None when the resident withdraws it themselves."""
    credential = IssuedCredential.objects.select_for_update().get(pk=credential.pk)
    if credential.share_token is None:
        raise CredentialError("This credential has no share link.")
    _share_link_ended(credential, ShareLinkEnd.WITHDRAWN if user else ShareLinkEnd.STOPPED)
    credential.share_token, credential.share_withdraw_token, credential.shared_at = None, None, None
    credential.save(update_fields=["share_token", "share_withdraw_token", "shared_at"])
    by = "" if user is not None else " (by the resident, with the link on their passport)"
    _audit(
        user,
        AuditAction.CREDENTIAL_UNSHARED,
        credential,
        f"{credential.document.get('name')}{by}",
        request,
    )
