"""Getting a credential ready to sign: the issuer's own checks before any proof is made.

`prepare` returns a copy that is safe to pass to `eddsa.sign`, or raises InvalidCredentialError
with every reason the credential cannot be issued: the VC Data Model's rules (validate.py),
then what JSON-LD processing would lose or refuse (canon.py).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from skillspassport.credentials.vc import canon, eddsa
from skillspassport.credentials.vc.contexts import (
    DATA_INTEGRITY_V2,
    ContextNotAllowedError,
    context_document,
)
from skillspassport.credentials.vc.validate import credential_problems


class InvalidCredentialError(ValueError):
    """The credential cannot be issued; `problems` says why, one plain-English reason each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


def prepare(credential: Mapping[str, Any], *, issuer_id: str, cryptosuite: str) -> dict[str, Any]:
    """A copy of `credential` ready to be signed by `issuer_id` with `cryptosuite`.

    - The issuer is filled in where it is missing (an object without an id gets the id); one
      naming anybody else is refused. An explicit null is left for the data-model check to
      refuse, as the W3C suite expects.
    - The Data Integrity context is added when no context defines DataIntegrityProof (a VCDM
      1.1 credential needs it; the VCDM 2.0 base context already has it), so that the proof's
      terms are defined.
    - A credential that already has a proof is refused: send it unsigned.
    """
    if cryptosuite not in eddsa.CRYPTOSUITES:
        raise InvalidCredentialError(
            [f"This service signs with {' or '.join(eddsa.CRYPTOSUITES)}, not {cryptosuite!r}."]
        )
    prepared = copy.deepcopy(dict(credential))
    problems = []
    if "proof" in prepared:
        problems.append("The credential already has a proof; send it unsigned.")
    issuer = prepared.get("issuer")
    if "issuer" not in prepared:
        prepared["issuer"] = issuer_id
    elif isinstance(issuer, dict) and "id" not in issuer:
        issuer["id"] = issuer_id
    named = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    if named is not None and "issuer" in credential and named != issuer_id:
        problems.append(f"This service can only issue as {issuer_id}, not {named}.")
    if isinstance(prepared.get("@context"), list) and not _defines_proof(prepared["@context"]):
        prepared["@context"] = [*prepared["@context"], DATA_INTEGRITY_V2]
    problems += credential_problems(prepared)
    if problems:
        raise InvalidCredentialError(problems)
    try:
        canon.check_lossless(prepared)
    except (canon.JsonLdError, canon.TooComplexError) as exc:
        raise InvalidCredentialError([str(exc)]) from exc
    return prepared


def _defines_proof(contexts: list[Any]) -> bool:
    """Whether any of the contexts (held by this service, or inline) defines DataIntegrityProof."""
    for item in contexts:
        if isinstance(item, Mapping):
            definitions = item
        else:
            try:
                definitions = context_document(item).get("@context", {})
            except (ContextNotAllowedError, TypeError):
                continue  # refused later, with the reason, by JSON-LD processing
        if isinstance(definitions, Mapping) and "DataIntegrityProof" in definitions:
            return True
    return False
