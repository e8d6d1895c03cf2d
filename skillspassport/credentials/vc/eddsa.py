"""The Data Integrity EdDSA cryptosuites `eddsa-rdfc-2022` and `eddsa-jcs-2022` (W3C Data
Integrity EdDSA Cryptosuites v1.0, §3.2 and §3.3).

Both hash the proof options and the document separately with SHA-256 and sign
`hash(proof options) ‖ hash(document)` with Ed25519, putting the signature in `proofValue` as
multibase base58btc. They differ in how each is turned into bytes:

- eddsa-rdfc-2022: RDF Dataset Canonicalisation (RDFC-1.0). The proof options take the
  document's `@context` for that step only; the proof as published has none.
- eddsa-jcs-2022: the JSON Canonicalization Scheme (RFC 8785). The proof itself carries the
  document's `@context`, and so signs it. To verify, the document's `@context` must begin
  with the proof's and is cut back to it: contexts added after signing are not signed, so
  here they may only be URLs of contexts this service holds, never inline definitions.

This service processes every document as JSON-LD in "safe mode", whichever cryptosuite: a term
the contexts do not define is an error, not silently dropped (see canon.py).

A document may carry several proofs (W3C Data Integrity 1.0 §4.3 and §4.5). In a proof set
each proof signs the document without any proofs. In a proof chain a proof names earlier ones
by id in `previousProof` (an id or a list of ids), and signs the document with exactly those
proofs as its `proof`; an id that names no proof in the document is an error.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from skillspassport.credentials.vc.canon import canonicalize, check_lossless
from skillspassport.credentials.vc.keys import (
    KeyFormatError,
    multibase_b58_decode,
    multibase_b58_encode,
)

RDFC = "eddsa-rdfc-2022"
JCS = "eddsa-jcs-2022"
CRYPTOSUITES = (RDFC, JCS)
CRYPTOSUITE = RDFC  # the default
PROOF_TYPE = "DataIntegrityProof"


class ProofError(ValueError):
    """The proof is malformed, or its signature does not match; the message says which."""

    def __init__(self, message: str, *, tampered: bool = False) -> None:
        super().__init__(message)
        self.tampered = tampered


def proof_config(document: Mapping[str, Any], proof: Mapping[str, Any]) -> dict[str, Any]:
    """The proof options as signed: the proof without `proofValue`.

    For eddsa-rdfc-2022 with the document's `@context` in place of any of its own; for
    eddsa-jcs-2022 as it is (its `@context`, if any, is part of the proof).
    """
    if proof.get("cryptosuite") == JCS:
        return {k: v for k, v in proof.items() if k != "proofValue"}
    config = {k: v for k, v in proof.items() if k not in ("proofValue", "@context")}
    config["@context"] = document["@context"]
    return config


def jcs(value: Any) -> bytes:
    """RFC 8785 canonical JSON; ProofError for what JCS cannot represent (ints over 2⁵³)."""
    try:
        return rfc8785.dumps(value)
    except rfc8785.CanonicalizationError as exc:
        raise ProofError(f"The document cannot be canonicalised as JSON (JCS): {exc}.") from exc


def _transform(value: Mapping[str, Any], cryptosuite: str) -> bytes:
    if cryptosuite == JCS:
        check_lossless(value)
        return jcs(value)
    return canonicalize(value).encode()


def hash_data(document: Mapping[str, Any], config: Mapping[str, Any]) -> bytes:
    """`hash(proof options) ‖ hash(document)`; `document` is exactly what the proof signs.

    The cryptosuite is the one `config` names.
    """
    cryptosuite = config.get("cryptosuite", RDFC)
    document_hash = hashlib.sha256(_transform(document, cryptosuite)).digest()
    proof_hash = hashlib.sha256(_transform(config, cryptosuite)).digest()
    return proof_hash + document_hash


def sign(
    document: Mapping[str, Any],
    private_key: Ed25519PrivateKey,
    *,
    verification_method: str,
    created: str,
    proof_purpose: str = "assertionMethod",
    cryptosuite: str = RDFC,
    challenge: str | None = None,
    domain: str | list[str] | None = None,
    previous_proof: str | list[str] | None = None,
    proof_id: str | None = None,
) -> dict[str, Any]:
    """A copy of `document` with a Data Integrity proof added (Data Integrity §4.3).

    A document with no proof gets this one as its `proof`. A document that already has proofs
    gets a list: this proof joins the set, signing the document without them, or, with
    `previous_proof` (the id or ids of proofs already there), chains to those proofs and signs
    the document with just them. `proof_id` gives this proof an id that later proofs can name.
    `challenge` and `domain` (for a presentation, what the verifier asked for) become proof
    options, and so are signed with the rest.
    """
    if cryptosuite not in CRYPTOSUITES:
        raise ProofError(
            f"Unknown cryptosuite {cryptosuite!r}: this service signs {RDFC} or {JCS}."
        )
    if not _is_datetime(created):
        raise ProofError(f"created {created!r} is not an XML Schema date and time.")
    existing = _as_list(document["proof"]) if "proof" in document else []
    if proof_id is not None and any(_proof_id(p) == proof_id for p in existing):
        raise ProofError(f"The document already has a proof with the id {proof_id}.")
    proof: dict[str, Any] = {"type": PROOF_TYPE}
    if proof_id is not None:
        proof["id"] = proof_id
    proof |= {
        "cryptosuite": cryptosuite,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    if challenge is not None:
        proof["challenge"] = challenge
    if domain is not None:
        proof["domain"] = domain
    if previous_proof is not None:
        proof["previousProof"] = previous_proof
    if cryptosuite == JCS and "@context" in document:
        proof["@context"] = document["@context"]
    unsecured = signed_document(document, proof)
    signature = private_key.sign(hash_data(unsecured, proof_config(unsecured, proof)))
    added = {**proof, "proofValue": multibase_b58_encode(signature)}
    return {**document, "proof": [*existing, added] if existing else added}


def check_proof_shape(proof: Any) -> None:
    if not isinstance(proof, Mapping):
        raise ProofError("The proof must be a JSON object.")
    if proof.get("type") != PROOF_TYPE:
        raise ProofError(f"Unsupported proof type {proof.get('type')!r}: expected {PROOF_TYPE}.")
    if proof.get("cryptosuite") not in CRYPTOSUITES:
        raise ProofError(
            f"Unknown cryptosuite {proof.get('cryptosuite')!r}: this service verifies "
            f"{RDFC} and {JCS}."
        )
    for field in ("verificationMethod", "proofPurpose", "proofValue"):
        if not isinstance(proof.get(field), str) or not proof[field]:
            raise ProofError(f"The proof has no {field}.")
    if "created" in proof and not _is_datetime(proof["created"]):
        raise ProofError("The proof's created is not an XML Schema date and time.")


def previous_proofs(document: Mapping[str, Any], proof: Mapping[str, Any]) -> list[Any]:
    """The proofs in `document` that `proof` chains to, in the order its previousProof names them.

    ProofError if previousProof is not an id or a list of ids, or names a proof that is not
    in the document (a dangling link), or that is `proof` itself.
    """
    named = proof.get("previousProof")
    ids = [named] if isinstance(named, str) else named
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) and i for i in ids):
        raise ProofError("previousProof must be the id of a proof, or a list of such ids.")
    if "id" in proof and proof["id"] in ids:
        raise ProofError("A proof cannot name itself as its previousProof.")
    by_id: dict[str, Any] = {}
    for candidate in _as_list(document.get("proof", [])):
        found = _proof_id(candidate)
        if found is not None:
            if found in by_id:
                raise ProofError(f"Two proofs have the id {found}.")
            by_id[found] = candidate
    missing = [i for i in ids if i not in by_id]
    if missing:
        raise ProofError(
            f"The proof's previousProof names {', '.join(missing)}, which is not among the "
            "document's proofs."
        )
    return [by_id[i] for i in ids]


def signed_document(document: Mapping[str, Any], proof: Mapping[str, Any]) -> dict[str, Any]:
    """What `proof` signs: `document` without its proofs, or with just the proofs it chains to,
    as Data Integrity §4.5 and the cryptosuite define it."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    if "previousProof" in proof:
        unsecured["proof"] = previous_proofs(document, proof)
    if proof.get("cryptosuite") == JCS and "@context" in proof:
        signed_contexts = _as_list(proof["@context"])
        contexts = _as_list(unsecured.get("@context"))
        if contexts[: len(signed_contexts)] != signed_contexts:
            raise ProofError(
                "The document's @context does not begin with the contexts the proof signed.",
                tampered=True,
            )
        if not all(isinstance(c, str) for c in contexts[len(signed_contexts) :]):
            # Unsigned term definitions could change what signed terms mean.
            raise ProofError(
                "A context was written into the document after it was signed.", tampered=True
            )
        unsecured["@context"] = proof["@context"]
    return unsecured


def verify(
    document: Mapping[str, Any], proof: Mapping[str, Any], public_key: Ed25519PublicKey
) -> None:
    """Raise ProofError unless `proof` is a valid signature over `document` by `public_key`.

    `document` is the secured document, with all its proofs: a chained proof signs some of
    them (see signed_document), and they are found there.
    """
    check_proof_shape(proof)
    try:
        signature = multibase_b58_decode(proof["proofValue"])
    except KeyFormatError as exc:
        raise ProofError(f"The proofValue is malformed: {exc}", tampered=True) from exc
    if len(signature) != 64:
        raise ProofError("The proofValue is not a 64-byte Ed25519 signature.", tampered=True)
    unsecured = signed_document(document, proof)
    try:
        public_key.verify(signature, hash_data(unsecured, proof_config(unsecured, proof)))
    except InvalidSignature as exc:
        raise ProofError(
            "The signature does not match the content: the credential has been changed "
            "since it was signed, or was not signed by this key.",
            tampered=True,
        ) from exc


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _proof_id(proof: Any) -> str | None:
    found = proof.get("id") if isinstance(proof, Mapping) else None
    return found if isinstance(found, str) else None


def _is_datetime(value: Any) -> bool:
    """An XML Schema dateTime, as Data Integrity asks of `created` (a missing zone means UTC)."""
    if not isinstance(value, str) or "T" not in value:
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return False
    return True
