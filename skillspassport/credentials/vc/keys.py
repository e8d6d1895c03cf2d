"""Ed25519 keys as Multikey strings and `did:key` identifiers."""

from __future__ import annotations

import base58
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519_PUB = b"\xed\x01"  # multicodec ed25519-pub
ED25519_PRIV = b"\x80\x26"  # multicodec ed25519-priv (32-byte seed)


class KeyFormatError(ValueError):
    """A key or multibase string is malformed."""


def multibase_b58_encode(data: bytes) -> str:
    return "z" + base58.b58encode(data).decode("ascii")


def multibase_b58_decode(text: str) -> bytes:
    if not isinstance(text, str) or not text.startswith("z"):
        raise KeyFormatError("Expected a multibase base58btc value starting with 'z'.")
    try:
        return base58.b58decode(text[1:])
    except ValueError as exc:
        raise KeyFormatError("The value is not valid base58btc.") from exc


def public_key_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def public_multikey(key: Ed25519PublicKey) -> str:
    return multibase_b58_encode(ED25519_PUB + public_key_bytes(key))


def public_key_from_multikey(text: str) -> Ed25519PublicKey:
    raw = multibase_b58_decode(text)
    if len(raw) != 34 or not raw.startswith(ED25519_PUB):
        raise KeyFormatError("Not an Ed25519 public key in Multikey form.")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def private_key_from_multikey(text: str) -> Ed25519PrivateKey:
    """An Ed25519 private key: the 32-byte seed, or the seed followed by its public key."""
    raw = multibase_b58_decode(text)
    if len(raw) not in (34, 66) or not raw.startswith(ED25519_PRIV):
        raise KeyFormatError("Not an Ed25519 private key in Multikey form.")
    key = Ed25519PrivateKey.from_private_bytes(raw[2:34])
    if len(raw) == 66 and raw[34:] != public_key_bytes(key.public_key()):
        raise KeyFormatError("The private key's public half does not match its seed.")
    return key


def private_multikey(key: Ed25519PrivateKey) -> str:
    return multibase_b58_encode(ED25519_PRIV + key.private_bytes_raw())


def did_key(key: Ed25519PublicKey) -> str:
    return f"did:key:{public_multikey(key)}"


def did_key_verification_method(key: Ed25519PublicKey) -> str:
    multikey = public_multikey(key)
    return f"did:key:{multikey}#{multikey}"


def resolve_did_key(verification_method: str) -> Ed25519PublicKey:
    """The public key named by a `did:key:z…#z…` verification method (no network needed)."""
    did, _, fragment = verification_method.partition("#")
    multikey = did.removeprefix("did:key:")
    if not did.startswith("did:key:") or (fragment and fragment != multikey):
        raise KeyFormatError(f"{verification_method} is not a did:key verification method.")
    return public_key_from_multikey(multikey)
