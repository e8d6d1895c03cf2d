"""Verifying a credential or presentation, with reasons a person can read.

The caller supplies how to find a public key for a verification method, how to read a status
list entry, and which issuers its trust registry knows (and their names); all must answer from
local data (this module never fetches anything).

A signature can be valid while its issuer is unknown to the registry: that is "verified" in
the VC-API's sense (proofs, status and validity dates are fine) but not "trusted", and the
issuer's name shown is only ever the registry's, never what the credential says of itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from skillspassport.credentials.vc import canon, eddsa
from skillspassport.credentials.vc.canon import JsonLdError
from skillspassport.credentials.vc.contexts import CREDENTIALS_V1
from skillspassport.credentials.vc.jsonparse import InputError, TooComplexError, parse_json
from skillspassport.credentials.vc.validate import (
    credential_problems,
    is_enveloped,
    parse_datetime,
    presentation_problems,
)

__all__ = [  # parse_json and its errors are re-exported from jsonparse
    "SEVERITY",
    "InputError",
    "IssuerNamer",
    "KeyResolver",
    "Outcome",
    "StatusAnswer",
    "StatusResolver",
    "TooComplexError",
    "Verification",
    "parse_json",
    "verify_credential",
    "verify_presentation",
    "verify_proofs",
]


MAX_PROOFS = 8


class Outcome(StrEnum):
    VALID = "valid"
    UNTRUSTED_ISSUER = "untrusted_issuer"  # signature valid; the issuer is not in the registry
    REVOKED = "revoked"
    SUSPENDED = "suspended"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    TAMPERED = "tampered"
    ISSUER_MISMATCH = "issuer_mismatch"  # the key that signed is not one of the issuer's
    UNKNOWN_ISSUER = "unknown_issuer"  # the signing key cannot be resolved
    MALFORMED = "malformed"


# Worst first: the reported outcome is the worst one found.
SEVERITY = [
    Outcome.MALFORMED,
    Outcome.TAMPERED,
    Outcome.ISSUER_MISMATCH,
    Outcome.UNKNOWN_ISSUER,
    Outcome.REVOKED,
    Outcome.SUSPENDED,
    Outcome.EXPIRED,
    Outcome.NOT_YET_VALID,
    Outcome.UNTRUSTED_ISSUER,
    Outcome.VALID,
]


class StatusAnswer(StrEnum):
    SET = "set"
    UNSET = "unset"
    UNKNOWN = "unknown"


KeyResolver = Callable[[str], Ed25519PublicKey | None]
StatusResolver = Callable[[Mapping[str, Any]], StatusAnswer]
# (issuer id, verification method) -> the trust registry's name for that issuer, or None.
IssuerNamer = Callable[[str, str], str | None]


@dataclass
class Verification:
    outcome: Outcome = Outcome.VALID
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    credential: Mapping[str, Any] | None = None
    issuer_id: str | None = None
    issuer_name: str | None = None  # from the trust registry only, never from the credential

    @property
    def verified(self) -> bool:
        """What the VC-API reports as verified: proofs, status and validity dates all fine."""
        return self.outcome in (Outcome.VALID, Outcome.UNTRUSTED_ISSUER)

    @property
    def trusted(self) -> bool:
        """Verified, and issued by an issuer this service's registry knows."""
        return self.outcome is Outcome.VALID

    def fail(self, outcome: Outcome, reason: str) -> None:
        self.errors.append(reason)
        self.lower(outcome)

    def warn(self, outcome: Outcome, reason: str) -> None:
        """A finding that does not make the result unverified (an untrusted issuer)."""
        self.warnings.append(reason)
        self.lower(outcome)

    def lower(self, outcome: Outcome) -> None:
        if SEVERITY.index(outcome) < SEVERITY.index(self.outcome):
            self.outcome = outcome


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _types(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [t for t in value if isinstance(t, str)] if isinstance(value, list) else []


def _issuer_id(credential: Mapping[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    if isinstance(issuer, str):
        return issuer
    if isinstance(issuer, Mapping) and isinstance(issuer.get("id"), str):
        return str(issuer["id"])
    return None


def _check_structure(credential: Any, result: Verification) -> bool:
    """The VC Data Model's rules (validate.py); a credential that breaks them goes no further."""
    for problem in credential_problems(credential):
        result.fail(Outcome.MALFORMED, problem)
    return not result.errors


def _proofs(document: Mapping[str, Any], result: Verification) -> list[Mapping[str, Any]]:
    proof = document.get("proof")
    if proof is None:
        result.fail(Outcome.MALFORMED, "The credential has no proof: it is not signed.")
        return []
    proofs = proof if isinstance(proof, list) else [proof]
    if not proofs:
        result.fail(Outcome.MALFORMED, "The credential's proof list is empty.")
    if len(proofs) > MAX_PROOFS:  # each one means canonicalising the document again
        result.fail(
            Outcome.MALFORMED,
            f"The credential has {len(proofs)} proofs; this service checks up to {MAX_PROOFS}.",
        )
        return []
    seen: list[Any] = []
    for item in proofs:
        if item in seen:
            result.fail(Outcome.MALFORMED, "The same proof appears more than once.")
            return []
        seen.append(item)
    return proofs


def verify_proofs(
    document: Mapping[str, Any],
    result: Verification,
    *,
    resolve_key: KeyResolver,
    purpose: str,
    controller: str | None,
    role: str = "issuer",
) -> list[Mapping[str, Any]]:
    """Check every proof on `document` (a credential or a presentation): all of a proof set,
    each chained proof over the proofs it names (Data Integrity §4.5).

    The proofs whose signatures are valid, in order. `controller` is the issuer (or holder,
    as `role` says) whose keys must have made them.
    """
    valid: list[Mapping[str, Any]] = []
    for proof in _proofs(document, result):
        try:
            eddsa.check_proof_shape(proof)
        except eddsa.ProofError as exc:
            result.fail(Outcome.MALFORMED, str(exc))
            continue
        if proof["proofPurpose"] != purpose:
            result.fail(
                Outcome.MALFORMED,
                f"The proofPurpose is {proof['proofPurpose']!r}; it must be {purpose!r}.",
            )
            continue
        method = proof["verificationMethod"]
        if controller is not None and method.split("#")[0] != controller:
            result.fail(
                Outcome.ISSUER_MISMATCH,
                f"The proof was made with {method}, which does not belong to the {role} "
                f"{controller}.",
            )
            continue
        key = resolve_key(method)
        if key is None:
            result.fail(
                Outcome.UNKNOWN_ISSUER,
                f"The signing key {method} is not one this service knows, so the issuer "
                "cannot be confirmed.",
            )
            continue
        try:
            eddsa.verify(document, proof, key)
        except eddsa.ProofError as exc:
            result.fail(Outcome.TAMPERED if exc.tampered else Outcome.MALFORMED, str(exc))
        except (JsonLdError, canon.TooComplexError) as exc:
            result.fail(Outcome.MALFORMED, str(exc))
        else:
            result.checks.append(f"Signature by {method} is valid.")
            valid.append(proof)
    return valid


def _check_dates(credential: Mapping[str, Any], result: Verification, now: datetime) -> None:
    """Whether `now` is within the validity period (the dates' form is checked already)."""
    v1 = _as_list(credential.get("@context"))[0] == CREDENTIALS_V1
    start_key, end_key = ("issuanceDate", "expirationDate") if v1 else ("validFrom", "validUntil")
    start = parse_datetime(credential.get(start_key), zone_required=not v1)
    end = parse_datetime(credential.get(end_key), zone_required=not v1)
    if start is not None and now < start:
        result.fail(Outcome.NOT_YET_VALID, f"It is not valid until {credential[start_key]}.")
    if end is not None and now > end:
        result.fail(Outcome.EXPIRED, f"It expired on {credential[end_key]}.")
    if start is not None and (end is None or now <= end) and now >= start:
        result.checks.append("It is within its validity period.")


def _check_status(
    credential: Mapping[str, Any], result: Verification, check_status: StatusResolver
) -> None:
    status = credential.get("credentialStatus")
    entries = status if isinstance(status, list) else [status] if status else []
    for entry in entries:
        if not isinstance(entry, Mapping) or "BitstringStatusListEntry" not in _types(
            entry.get("type")
        ):
            result.warnings.append("A credentialStatus entry of an unknown type was not checked.")
            continue
        purpose = entry.get("statusPurpose")
        answer = check_status(entry)
        if answer is StatusAnswer.UNKNOWN:
            result.warnings.append(
                f"The {purpose} status list {entry.get('statusListCredential')} is not held by "
                "this service and was not fetched, so its status was not checked."
            )
        elif answer is StatusAnswer.SET and purpose == "revocation":
            result.fail(Outcome.REVOKED, "The issuer has revoked this credential.")
        elif answer is StatusAnswer.SET and purpose == "suspension":
            result.fail(Outcome.SUSPENDED, "The issuer has suspended this credential.")
        elif answer is StatusAnswer.UNSET:
            result.checks.append(f"It is not on the issuer's {purpose} list.")


def _check_trust(
    issuer: str, signed: list[Mapping[str, Any]], result: Verification, issuer_name: IssuerNamer
) -> None:
    """Ask the registry about the issuer, for each key that validly signed for it."""
    for proof in signed:
        name = issuer_name(issuer, proof["verificationMethod"])
        if name is not None:
            result.issuer_name = name
            result.checks.append(f"The issuer is {name}, known to this service.")
            return
    result.warn(
        Outcome.UNTRUSTED_ISSUER,
        f"The signature is valid, but the issuer {issuer} is not one this service recognises.",
    )


def verify_credential(
    credential: Any,
    *,
    resolve_key: KeyResolver,
    check_status: StatusResolver,
    issuer_name: IssuerNamer,
    now: datetime | None = None,
) -> Verification:
    result = Verification(credential=credential if isinstance(credential, Mapping) else None)
    if not _check_structure(credential, result):
        return result
    issuer = _issuer_id(credential)
    result.issuer_id = issuer
    signed = verify_proofs(
        credential,
        result,
        resolve_key=resolve_key,
        purpose="assertionMethod",
        controller=issuer,
    )
    if result.outcome in (Outcome.MALFORMED, Outcome.TAMPERED, Outcome.ISSUER_MISMATCH):
        return result  # nothing else in it can be trusted
    if issuer is not None and signed:
        _check_trust(issuer, signed, result, issuer_name)
    _check_dates(credential, result, now or datetime.now(UTC))
    _check_status(credential, result, check_status)
    return result


def _check_request(
    signed: list[Mapping[str, Any]],
    result: Verification,
    *,
    challenge: str | None,
    domain: str | list[str] | None,
) -> None:
    """The presentation was made for this request: a valid proof carries its challenge and
    domain. Both are among the proof options, so the signature covers them."""
    if challenge is None and domain is None:
        return
    wanted = [domain] if isinstance(domain, str) else list(domain or [])
    for proof in signed:
        domains = proof.get("domain")
        offered = [domains] if isinstance(domains, str) else domains or []
        if challenge is not None and proof.get("challenge") != challenge:
            continue
        if not isinstance(offered, list) or not all(d in offered for d in wanted):
            continue
        result.checks.append("It was made for this request (challenge and domain match).")
        return
    if not signed:
        if not result.errors:  # otherwise the failed proofs already say why
            result.fail(
                Outcome.MALFORMED,
                "The presentation has no valid authentication proof, so it cannot show it "
                "was made for this request.",
            )
        return
    asked = [f"challenge {challenge!r}"] if challenge is not None else []
    asked += [f"domain {d!r}" for d in wanted]
    result.fail(
        Outcome.MALFORMED,
        "The presentation was not made for this request: no proof carries the "
        f"{' and '.join(asked)}.",
    )


def _unsupported_envelope(credential: Mapping[str, Any]) -> Verification:
    result = Verification(credential=credential)
    result.fail(
        Outcome.MALFORMED,
        "This is an enveloped credential (secured with JOSE or COSE), which this service "
        "does not verify.",
    )
    return result


def verify_presentation(
    presentation: Any,
    *,
    resolve_key: KeyResolver,
    check_status: StatusResolver,
    issuer_name: IssuerNamer,
    challenge: str | None = None,
    domain: str | list[str] | None = None,
    now: datetime | None = None,
) -> tuple[Verification, list[Verification]]:
    """The presentation's own proofs (if any) and each credential in it.

    With `challenge` or `domain` (what the verifier asked the holder for), the presentation
    must have a valid authentication proof carrying them, or it fails. A presentation of no
    credentials is allowed, as VCDM 2.0 permits.
    """
    result = Verification()
    problems = presentation_problems(presentation)
    for problem in problems:
        result.fail(Outcome.MALFORMED, problem)
    if problems:
        return result, []
    signed: list[Mapping[str, Any]] = []
    if "proof" in presentation:
        holder = presentation.get("holder")
        holder_id = holder.get("id") if isinstance(holder, Mapping) else holder
        signed = verify_proofs(
            presentation,
            result,
            resolve_key=resolve_key,
            purpose="authentication",
            controller=holder_id if isinstance(holder_id, str) else None,
            role="holder",
        )
    elif challenge is None and domain is None:
        result.warnings.append("The presentation itself is not signed; its credentials are.")
    _check_request(signed, result, challenge=challenge, domain=domain)
    inner = presentation.get("verifiableCredential", [])
    credentials = inner if isinstance(inner, list) else [inner]
    checked = [
        _unsupported_envelope(c)
        if is_enveloped(c)
        else verify_credential(
            c, resolve_key=resolve_key, check_status=check_status, issuer_name=issuer_name, now=now
        )
        for c in credentials
    ]
    for index, item in enumerate(checked, start=1):
        if not item.verified:
            result.fail(item.outcome, f"Credential {index}: {'; '.join(item.errors)}")
        elif not item.trusted:
            result.warn(item.outcome, f"Credential {index}: {'; '.join(item.warnings)}")
    return result, checked
