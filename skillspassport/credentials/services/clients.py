"""API clients (OAuth 2.0 client credentials) and the trust registry's external issuers.

Both are a council administrator's decisions, recorded in the audit log. An API client belongs
to one council and may issue only the awards on its allow-list; its secret is shown once and
stored hashed. A trusted issuer is an outside issuer a council has checked and vouches for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from oauth2_provider.generators import generate_client_id, generate_client_secret
from oauth2_provider.models import AccessToken, Application

from skillspassport.accounts.models import Organisation, OrganisationKind, User
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record
from skillspassport.credentials import keystore
from skillspassport.credentials.models import ApiClient, TrustedIssuer
from skillspassport.credentials.vc import keys


class RegistryError(ValueError):
    """The client or trusted issuer cannot be saved; the message says why."""


_AWARD = re.compile(r"^[a-z_]+:[a-z_]+$")
_DID_WEB = re.compile(r"^did:web:[A-Za-z0-9.\-]+(%3A\d+)?(:[A-Za-z0-9._\-]+)*$")


def _normalised(name: str) -> str:
    return " ".join(name.split()).casefold()


@transaction.atomic
def api_client_create(
    *,
    council: Organisation,
    name: str,
    allowed_awards: Iterable[str],
    sandbox: bool = False,
    user: User | None,
    request: Any = None,
) -> tuple[ApiClient, str]:
    """A new client for `council`, and its secret (shown once: only a hash is kept)."""
    name = " ".join(name.split())
    if council.kind != OrganisationKind.COUNCIL:
        raise RegistryError("API clients belong to a council.")
    if not name:
        raise RegistryError("Enter a name for the client.")
    awards = sorted(set(allowed_awards))
    bad = [a for a in awards if not _AWARD.match(a)]
    if bad:
        raise RegistryError(f"Not an award code: {', '.join(bad)}.")
    if ApiClient.objects.filter(council=council, name=name, revoked_at=None).exists():
        raise RegistryError(f"{council.name} already has a client called {name}.")
    secret = generate_client_secret()
    application = Application.objects.create(
        name=f"{council.name}: {name}",
        client_id=generate_client_id(),
        client_secret=secret,
        hash_client_secret=True,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
    )
    client = ApiClient.objects.create(
        council=council,
        name=name,
        application=application,
        allowed_awards=awards,
        sandbox=sandbox,
        created_by=user,
    )
    audit_record(
        user=user,
        action=AuditAction.API_CLIENT_CREATED,
        organisation=council,
        summary=f"{name}: may issue {', '.join(awards) or 'nothing'}"
        + (" and use the sandbox" if sandbox else ""),
        request=request,
    )
    return client, secret


@transaction.atomic
def api_client_rotate_secret(*, client: ApiClient, user: User | None, request: Any = None) -> str:
    """A new secret for the client; the old one and every token issued with it stop working."""
    client = ApiClient.objects.select_for_update().select_related("application").get(pk=client.pk)
    if not client.active:
        raise RegistryError("This client has been revoked.")
    secret = str(generate_client_secret())
    client.application.client_secret = secret
    client.application.save(update_fields=["client_secret"])
    AccessToken.objects.filter(application=client.application).delete()
    client.secret_rotated_at = timezone.now()
    client.save(update_fields=["secret_rotated_at"])
    audit_record(
        user=user,
        action=AuditAction.API_CLIENT_SECRET_ROTATED,
        organisation=client.council,
        summary=client.name,
        request=request,
    )
    return secret


@transaction.atomic
def api_client_revoke(*, client: ApiClient, user: User | None, request: Any = None) -> None:
    """Stop the client for good. What it issued stays valid until revoked one by one."""
    client = ApiClient.objects.select_for_update().select_related("application").get(pk=client.pk)
    if not client.active:
        raise RegistryError("This client is already revoked.")
    client.revoked_at, client.revoked_by = timezone.now(), user
    client.save(update_fields=["revoked_at", "revoked_by"])
    AccessToken.objects.filter(application=client.application).delete()
    # An unusable secret: the application row stays, so the audit trail still names it.
    client.application.client_secret = generate_client_secret()
    client.application.save(update_fields=["client_secret"])
    audit_record(
        user=user,
        action=AuditAction.API_CLIENT_REVOKED,
        organisation=client.council,
        summary=client.name,
        request=request,
    )


def _check_did(did: str) -> None:
    if did.startswith("did:key:"):
        try:
            keys.resolve_did_key(did)
        except keys.KeyFormatError as exc:
            raise RegistryError(f"{did} is not an Ed25519 did:key: {exc}") from exc
    elif not _DID_WEB.match(did):
        raise RegistryError("Enter a did:key or did:web identifier, e.g. did:web:example.org.")
    own = keystore.did_web()
    if did == own or did.startswith(own + ":"):
        raise RegistryError("This service's own issuers are in the registry already.")
    if did == keystore.issuer_did(None):
        raise RegistryError("The sandbox issuer is for testing and can never be trusted.")


@transaction.atomic
def trusted_issuer_add(
    *,
    council: Organisation,
    did: str,
    name: str,
    evidence: str,
    user: User,
    request: Any = None,
) -> TrustedIssuer:
    """Add an outside issuer to the registry, vouched for by `council`."""
    did, name, evidence = did.strip(), " ".join(name.split()), evidence.strip()
    if not (did and name and evidence):
        raise RegistryError("Enter the DID, the issuer's name and how you checked who they are.")
    _check_did(did)
    hosted = Organisation.objects.filter(kind=OrganisationKind.COUNCIL).values_list(
        "name", flat=True
    )
    if _normalised(name) in {_normalised(n) for n in hosted}:
        raise RegistryError(
            f"{name} is a council this service hosts: its credentials already verify under its "
            "own DID, and no other issuer may use its name."
        )
    others = TrustedIssuer.objects.filter(removed_at=None).values_list("name", flat=True)
    if _normalised(name) in {_normalised(n) for n in others}:
        raise RegistryError(f"Another trusted issuer is already called {name}.")
    existing = TrustedIssuer.objects.select_for_update().filter(did=did).first()
    if existing is not None and existing.removed_at is None:
        raise RegistryError(f"{did} is already trusted, as {existing.name}.")
    if existing is not None:
        existing.delete()  # a removed entry: the audit log keeps its history
    issuer = TrustedIssuer.objects.create(
        did=did, name=name, evidence=evidence, vouched_by=council, added_by=user
    )
    audit_record(
        user=user,
        action=AuditAction.TRUSTED_ISSUER_ADDED,
        organisation=council,
        summary=f"{name} ({did})",
        request=request,
    )
    return issuer


@transaction.atomic
def trusted_issuer_remove(*, issuer: TrustedIssuer, user: User, request: Any = None) -> None:
    issuer = TrustedIssuer.objects.select_for_update().get(pk=issuer.pk)
    if issuer.removed_at is not None:
        raise RegistryError("This issuer has already been removed.")
    issuer.removed_at, issuer.removed_by = timezone.now(), user
    issuer.save(update_fields=["removed_at", "removed_by"])
    audit_record(
        user=user,
        action=AuditAction.TRUSTED_ISSUER_REMOVED,
        organisation=issuer.vouched_by,
        summary=f"{issuer.name} ({issuer.did})",
        request=request,
    )
