"""Writes of the partner API's own records: a client's access, and idempotent answers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from skillspassport.accounts.models import Membership, Organisation, User
from skillspassport.api.models import IdempotentRequest, PartnerAccess
from skillspassport.api.roles import CLIENT_ROLES, DEFAULT_ROLES
from skillspassport.api.scopes import SCOPES
from skillspassport.api.selectors import IDEMPOTENCY_KEPT
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record
from skillspassport.credentials.models import ApiClient


class PartnerAccessError(ValueError):
    """The access cannot be given; the message says why."""


@transaction.atomic
def partner_access_grant(
    *,
    client: ApiClient,
    organisation: Organisation,
    scopes: Iterable[str],
    role: str | None = None,
    user: User | None,
    request: Any = None,
) -> PartnerAccess:
    """Let an API client of a council use the partner API for `organisation` (the council or
    one of its partners), with `scopes`, through an account in `role` there."""
    if not client.active:
        raise PartnerAccessError("This client has been revoked.")
    if organisation.scheme_council != client.council:
        raise PartnerAccessError(
            f"{organisation.name} does not work in {client.council.name}'s scheme."
        )
    chosen = sorted(set(scopes))
    unknown = [s for s in chosen if s not in SCOPES]
    if unknown or not chosen:
        raise PartnerAccessError(
            f"Choose scopes from: {', '.join(SCOPES)}"
            + (f" (not {', '.join(unknown)})" if unknown else "")
        )
    role = role or DEFAULT_ROLES.get(organisation.kind)
    if role not in CLIENT_ROLES:
        raise PartnerAccessError(f"An API client's role is one of: {', '.join(CLIENT_ROLES)}.")
    if PartnerAccess.objects.filter(api_client=client).exists():
        raise PartnerAccessError(f"{client.name} already has partner API access.")
    account = User.objects.create_user(
        f"api-client-{client.application.client_id.lower()[:40]}@api-clients.invalid",
        full_name=f"API client: {client.name}"[:150],
    )
    account.set_unusable_password()
    account.save(update_fields=["password"])
    Membership.objects.create(user=account, organisation=organisation, role=role)
    access = PartnerAccess.objects.create(
        api_client=client, organisation=organisation, account=account, scopes=chosen
    )
    audit_record(
        user=user,
        action=AuditAction.API_CLIENT_CREATED,
        organisation=client.council,
        summary=f"{client.name}: partner API for {organisation.name} as {role}, "
        f"scopes {' '.join(chosen)}",
        request=request,
    )
    return access


def idempotent_answers_forget(*, access: PartnerAccess) -> int:
    """Drop the client's answers older than they are replayed for: they hold personal data
    (the resident a create returned), which is kept no longer than the retry window."""
    cutoff = timezone.now() - IDEMPOTENCY_KEPT
    deleted, _ = IdempotentRequest.objects.filter(access=access, created_at__lt=cutoff).delete()
    return deleted
