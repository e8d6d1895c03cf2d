"""The Data Integrity cryptosuite `eddsa-rdfc-2022` (W3C Data Integrity EdDSA Cryptosuites v1.0).

Signing: canonicalise the document (without proof) and the proof options (with the document's
`@context`) by RDFC-1.0, SHA-256 each, sign `hash(proof options) ‖ hash(document)` with Ed25519,
and put the signature in `proofValue` as multibase base58btc.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from skillspassport.credentials.vc.canon import canonicalize
from skillspassport.credentials.vc.keys import (
    KeyFormatError,
    multibase_b58_decode,
    multibase_b58_encode,
)

CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_TYPE = "DataIntegrityProof"


class ProofError(ValueError):
    """The proof is malformed, or its signature does not match; the message says which."""

    def __init__(self, message: str, *, tampered: bool = False) -> None:
        super().__init__(message)
        self.tampered = tampered


def proof_config(document: Mapping[str, Any], proof: Mapping[str, Any]) -> dict[str, Any]:
    """The proof options as signed: the proof without `proofValue`, with the document's context."""
    config = {k: v for k, v in proof.items() if k not in ("proofValue", "@context")}
    config["@context"] = document["@context"]
    return config


def hash_data(document: Mapping[str, Any], config: Mapping[str, Any]) -> bytes:
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    document_hash = hashlib.sha256(canonicalize(unsecured).encode()).digest()
    proof_hash = hashlib.sha256(canonicalize(config).encode()).digest()
    return proof_hash + document_hash


def sign(
    document: Mapping[str, Any],
    private_key: Ed25519PrivateKey,
    *,
    verification_method: str,
    created: str,
    proof_purpose: str = "assertionMethod",
    challenge: str | None = None,
    domain: str | list[str] | None = None,
) -> dict[str, Any]:
    """A copy of `document` with an eddsa-rdfc-2022 proof added.

    `challenge` and `domain` (for a presentation, what the verifier asked for) become proof
    options, and so are signed with the rest.
    """
    if "proof" in document:
        raise ProofError("The document already has a proof.")
    proof: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    if challenge is not None:
        proof["challenge"] = challenge
    if domain is not None:
        proof["domain"] = domain
    signature = private_key.sign(hash_data(document, proof_config(document, proof)))
    return {**document, "proof": {**proof, "proofValue": multibase_b58_encode(signature)}}


def check_proof_shape(proof: Any) -> None:
    if not isinstance(proof, Mapping):
        raise ProofError("The proof must be a JSON object.")
    if proof.get("type") != PROOF_TYPE:
        raise ProofError(f"Unsupported proof type {proof.get('type')!r}: expected {PROOF_TYPE}.")
    if proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(
            f"Unknown cryptosuite {proof.get('cryptosuite')!r}: this service verifies "
            f"{CRYPTOSUITE}."
        )
    for field in ("verificationMethod", "proofPurpose", "proofValue"):
        if not isinstance(proof.get(field), str) or not proof[field]:
            raise ProofError(f"The proof has no {field}.")


def verify(
    document: Mapping[str, Any], proof: Mapping[str, Any], public_key: Ed25519PublicKey
) -> None:
    """Raise ProofError unless `proof` is a valid signature over `document` by `public_key`."""
    check_proof_shape(proof)
    try:
        signature = multibase_b58_decode(proof["proofValue"])
    except KeyFormatError as exc:
        raise ProofError(f"The proofValue is malformed: {exc}", tampered=True) from exc
    if len(signature) != 64:
        raise ProofError("The proofValue is not a 64-byte Ed25519 signature.", tampered=True)
    try:
        public_key.verify(signature, hash_data(document, proof_config(document, proof)))
    except InvalidSignature as exc:
        raise ProofError(
            "The signature does not match the content: the credential has been changed "
            "since it was signed, or was not signed by this key.",
            tampered=True,
        ) from exc
