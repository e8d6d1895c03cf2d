"""Preparing a credential to be signed: the issuer's refusals, and what it adds."""

from __future__ import annotations

import json

import pytest

from skillspassport.credentials.tests.test_validate import CREDENTIALS, INPUT
from skillspassport.credentials.tests.test_verifier import (
    ISSUER,
    ISSUER_KEY,
    METHOD,
    check,
    unsigned,
)
from skillspassport.credentials.vc import eddsa
from skillspassport.credentials.vc.issue import InvalidCredentialError, prepare
from skillspassport.credentials.vc.verifier import Outcome

V1_1 = {
    "@context": ["https://www.w3.org/2018/credentials/v1"],
    "type": ["VerifiableCredential"],
    "issuanceDate": "2026-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:123"},
}


def sign(prepared, cryptosuite="eddsa-rdfc-2022"):
    return eddsa.sign(
        prepared,
        ISSUER_KEY,
        verification_method=METHOD,
        created="2026-11-01T09:00:00Z",
        cryptosuite=cryptosuite,
    )


@pytest.mark.parametrize("cryptosuite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_a_vcdm_1_1_credential_gets_the_data_integrity_context_and_verifies(cryptosuite):
    prepared = prepare(V1_1, issuer_id=ISSUER, cryptosuite=cryptosuite)
    assert prepared["@context"] == [
        "https://www.w3.org/2018/credentials/v1",
        "https://w3id.org/security/data-integrity/v2",
    ]
    assert prepared["issuer"] == ISSUER
    assert "issuer" not in V1_1  # the caller's credential is left alone
    assert check(sign(prepared, cryptosuite)).outcome is Outcome.VALID


def test_without_the_context_a_vcdm_1_1_proof_would_not_even_sign():
    with pytest.raises(ValueError, match="not defined"):
        sign({**V1_1, "issuer": ISSUER})


def test_a_vcdm_2_0_credential_needs_no_extra_context():
    credential = unsigned()
    prepared = prepare(credential, issuer_id=ISSUER, cryptosuite="eddsa-rdfc-2022")
    assert prepared == credential
    assert prepared is not credential
    assert check(sign(prepared)).outcome is Outcome.VALID
    inline = {
        **V1_1,
        "@context": [
            *V1_1["@context"],
            {"DataIntegrityProof": "https://w3id.org/security#DataIntegrityProof"},
        ],
    }
    assert (
        prepare(inline, issuer_id=ISSUER, cryptosuite="eddsa-rdfc-2022")["@context"]
        == inline["@context"]
    )


def test_the_issuer_is_filled_in_or_must_be_this_one():
    empty_profile = {**unsigned(), "issuer": {"type": ["Profile"], "name": "Sefton Council"}}
    prepared = prepare(empty_profile, issuer_id=ISSUER, cryptosuite="eddsa-rdfc-2022")
    assert prepared["issuer"] == {"id": ISSUER, "type": ["Profile"], "name": "Sefton Council"}
    with pytest.raises(InvalidCredentialError, match="can only issue as") as caught:
        prepare(
            {**unsigned(), "issuer": "did:web:elsewhere.example"},
            issuer_id=ISSUER,
            cryptosuite="eddsa-rdfc-2022",
        )
    assert caught.value.problems == [
        f"This service can only issue as {ISSUER}, not did:web:elsewhere.example."
    ]
    for refused in (None, {"id": None}):
        with pytest.raises(InvalidCredentialError, match="URL"):
            prepare(
                {**unsigned(), "issuer": refused}, issuer_id=ISSUER, cryptosuite="eddsa-rdfc-2022"
            )


def test_every_reason_is_given_at_once():
    broken = {**unsigned(), "validFrom": "soon", "evidence": {}, "proof": {"type": "X"}}
    with pytest.raises(InvalidCredentialError) as caught:
        prepare(broken, issuer_id=ISSUER, cryptosuite="eddsa-rdfc-2022")
    assert caught.value.problems == [
        "The credential already has a proof; send it unsigned.",
        (
            "validFrom is not a date and time with a time zone (XML Schema), such as "
            "2026-01-31T09:00:00Z: 'soon'."
        ),
        "Each evidence must have a type.",
    ]


def test_json_ld_problems_are_refused_here_too():
    credential = unsigned()
    credential["credentialSubject"]["favouriteColour"] = "teal"
    with pytest.raises(InvalidCredentialError, match="favouriteColour"):
        prepare(credential, issuer_id=ISSUER, cryptosuite="eddsa-jcs-2022")


def test_an_unknown_cryptosuite_is_refused():
    with pytest.raises(InvalidCredentialError, match="not 'ecdsa-rdfc-2019'"):
        prepare(unsigned(), issuer_id=ISSUER, cryptosuite="ecdsa-rdfc-2019")


@pytest.mark.parametrize("name", CREDENTIALS)
def test_suite_inputs_are_issued_or_refused_as_their_names_say(name):
    """What the W3C suite POSTs to an issuer (it fills in the issuer only when it is absent)."""
    credential = json.loads((INPUT / name).read_text())
    dates = {"PAST DATE": "2025-01-01T00:00:00Z", "FUTURE DATE": "2027-01-01T00:00:00Z"}
    credential = {k: dates.get(v, v) if isinstance(v, str) else v for k, v in credential.items()}
    if name.endswith("-ok.json"):
        issued = sign(prepare(credential, issuer_id=ISSUER, cryptosuite="eddsa-rdfc-2022"))
        result = check(issued)
        assert result.outcome not in (Outcome.MALFORMED, Outcome.TAMPERED), result.errors
    else:
        with pytest.raises(InvalidCredentialError) as caught:
            prepare(credential, issuer_id=ISSUER, cryptosuite="eddsa-rdfc-2022")
        assert caught.value.problems
