"""Issuer keys: generation, encryption at rest, rotation, and finding a key by its id."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from skillspassport.accounts.models import Organisation
from skillspassport.credentials.models import IssuerKey
from skillspassport.credentials.vc import keys


class KeyStoreError(RuntimeError):
    pass


def _fernet() -> Fernet:
    """The key-encryption key comes from settings (CREDENTIAL_KEY_SECRET), never the database."""
    digest = hashlib.sha256(settings.CREDENTIAL_KEY_SECRET.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def did_web() -> str:
    """This deployment's own DID, from SITE_URL (did:web encodes a port as %3A).

    Credentials issued before councils had DIDs of their own name it; its document at
    /.well-known/did.json still lists their keys, so they still verify.
    """
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0]
    return "did:web:" + host.replace(":", "%3A")


def council_did(council_id: int) -> str:
    """A council's own DID: a path under this deployment's did:web, resolved by did:web rules to
    {SITE_URL}/councils/<id>/did.json. Ids never change, so neither does the DID."""
    return f"{did_web()}:councils:{council_id}"


def issuer_did(council: Organisation | None) -> str:
    """The DID a council issues as; the sandbox issuer's did:key when `council` is None."""
    if council is not None:
        return council_did(council.pk)
    return keys.did_key(_public(sandbox_key()))


def verification_method(key: IssuerKey) -> str:
    if key.council_id is None:
        return keys.did_key_verification_method(_public(key))
    return f"{council_did(key.council_id)}#{key.key_id}"


def _public(key: IssuerKey) -> Ed25519PublicKey:
    return keys.public_key_from_multikey(key.public_multikey)


def private_key(key: IssuerKey) -> Ed25519PrivateKey:
    try:
        multikey = _fernet().decrypt(key.private_encrypted.encode()).decode()
    except InvalidToken as exc:
        raise KeyStoreError(
            f"Cannot decrypt issuer key {key.key_id}: CREDENTIAL_KEY_SECRET has changed."
        ) from exc
    return keys.private_key_from_multikey(multikey)


def _create(council: Organisation | None) -> IssuerKey:
    secret = Ed25519PrivateKey.generate()
    number = IssuerKey.objects.filter(council=council).count() + 1
    prefix = f"council-{council.pk}" if council is not None else "sandbox"
    return IssuerKey.objects.create(
        council=council,
        key_id=f"{prefix}-key-{number}",
        public_multikey=keys.public_multikey(secret.public_key()),
        private_encrypted=_fernet().encrypt(keys.private_multikey(secret).encode()).decode(),
    )


@transaction.atomic
def issuer_key_for(council: Organisation | None) -> IssuerKey:
    """The council's active signing key (the sandbox's when None), created on first use."""
    active = (
        IssuerKey.objects.select_for_update()
        .filter(council=council, retired_at=None)
        .order_by("pk")  # not the default ordering, which joins the (nullable) council
        .first()
    )
    return active or _create(council)


def sandbox_key() -> IssuerKey:
    """The sandbox issuer's key (a did:key, trusted by no registry), created on first use."""
    return issuer_key_for(None)


@transaction.atomic
def issuer_key_rotate(council: Organisation) -> IssuerKey:
    """Retire the active key (it stays published for verification) and start a new one."""
    IssuerKey.objects.select_for_update().filter(council=council, retired_at=None).update(
        retired_at=timezone.now()
    )
    return _create(council)


def public_key_for_method(method: str) -> Ed25519PublicKey | None:
    """The public key for a verification method, from local data only (no network).

    A did:key carries its key (whoever made it: trust is decided by the registry, not here).
    A council's did:web method is looked up among that council's keys, retired ones included,
    and a method under the deployment's own did:web among every council's keys (credentials
    issued before councils had their own DIDs). Anything else is unknown.
    """
    if method.startswith("did:key:"):
        try:
            return keys.resolve_did_key(method)
        except keys.KeyFormatError:
            return None
    did, _, fragment = method.partition("#")
    if not fragment:
        return None
    found = key_for_method(did, fragment)
    return _public(found) if found else None


def key_for_method(did: str, fragment: str) -> IssuerKey | None:
    """The stored key a did:web verification method names, with its council."""
    base = did_web()
    keys_here = IssuerKey.objects.select_related("council").filter(key_id=fragment)
    if did == base:
        return keys_here.filter(council__isnull=False).first()
    prefix = base + ":councils:"
    council_id = did.removeprefix(prefix)
    if not did.startswith(prefix) or not council_id.isdigit():
        return None
    return keys_here.filter(council_id=int(council_id)).first()
