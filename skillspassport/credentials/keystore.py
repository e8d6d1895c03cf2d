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
    """This deployment's DID, from SITE_URL (did:web encodes a port as %3A)."""
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0]
    return "did:web:" + host.replace(":", "%3A")


def verification_method(key: IssuerKey) -> str:
    return f"{did_web()}#{key.key_id}"


def private_key(key: IssuerKey) -> Ed25519PrivateKey:
    try:
        multikey = _fernet().decrypt(key.private_encrypted.encode()).decode()
    except InvalidToken as exc:
        raise KeyStoreError(
            f"Cannot decrypt issuer key {key.key_id}: CREDENTIAL_KEY_SECRET has changed."
        ) from exc
    return keys.private_key_from_multikey(multikey)


def _create(council: Organisation) -> IssuerKey:
    secret = Ed25519PrivateKey.generate()
    number = IssuerKey.objects.filter(council=council).count() + 1
    return IssuerKey.objects.create(
        council=council,
        key_id=f"council-{council.pk}-key-{number}",
        public_multikey=keys.public_multikey(secret.public_key()),
        private_encrypted=_fernet().encrypt(keys.private_multikey(secret).encode()).decode(),
    )


@transaction.atomic
def issuer_key_for(council: Organisation) -> IssuerKey:
    """The council's active signing key, created on first use."""
    active = IssuerKey.objects.select_for_update().filter(council=council, retired_at=None).first()
    return active or _create(council)


@transaction.atomic
def issuer_key_rotate(council: Organisation) -> IssuerKey:
    """Retire the active key (it stays published for verification) and start a new one."""
    IssuerKey.objects.select_for_update().filter(council=council, retired_at=None).update(
        retired_at=timezone.now()
    )
    return _create(council)


def public_key_for_method(method: str) -> Ed25519PublicKey | None:
    """The public key for a verification method, from local data only (no network).

    did:key methods carry their key; this deployment's did:web methods are looked up among
    its issuer keys, retired ones included. Anything else is unknown.
    """
    if method.startswith("did:key:"):
        try:
            return keys.resolve_did_key(method)
        except keys.KeyFormatError:
            return None
    did, _, fragment = method.partition("#")
    if did != did_web() or not fragment:
        return None
    key = IssuerKey.objects.filter(key_id=fragment).first()
    return keys.public_key_from_multikey(key.public_multikey) if key else None
