"""Presentations: the holder's proof, and the challenge and domain a verifier asked for."""

from __future__ import annotations

import copy

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from skillspassport.credentials.tests.test_verifier import NOW, registry, resolve, signed
from skillspassport.credentials.vc import eddsa, keys
from skillspassport.credentials.vc.verifier import Outcome, StatusAnswer, verify_presentation

HOLDER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(2, 34)))
HOLDER = keys.did_key(HOLDER_KEY.public_key())
HOLDER_METHOD = keys.did_key_verification_method(HOLDER_KEY.public_key())


def presentation(*credentials):
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": HOLDER,
    }
    if credentials:
        document["verifiableCredential"] = list(credentials)
    return document


def holder_signed(document, **options):
    return eddsa.sign(
        document,
        HOLDER_KEY,
        verification_method=HOLDER_METHOD,
        created="2026-11-26T11:59:00Z",
        proof_purpose="authentication",
        **options,
    )


def check(document, **request):
    return verify_presentation(
        document,
        resolve_key=resolve,
        check_status=lambda entry: StatusAnswer.UNSET,
        issuer_name=registry,
        now=NOW,
        **request,
    )


def test_a_signed_presentation_with_the_asked_for_challenge_verifies():
    result, each = check(
        holder_signed(presentation(signed()), challenge="c-1234"), challenge="c-1234"
    )
    assert result.outcome is Outcome.VALID, result.errors
    assert [c.outcome for c in each] == [Outcome.VALID]
    assert f"Signature by {HOLDER_METHOD} is valid." in result.checks


def test_a_presentation_made_for_another_challenge_fails():
    result, _ = check(holder_signed(presentation(signed()), challenge="A"), challenge="B")
    assert result.outcome is Outcome.MALFORMED
    assert not result.verified
    assert result.errors == [
        "The presentation was not made for this request: no proof carries the challenge 'B'."
    ]


def test_changing_the_challenge_after_signing_breaks_the_signature():
    document = copy.deepcopy(holder_signed(presentation(signed()), challenge="A"))
    document["proof"]["challenge"] = "B"
    result, _ = check(document, challenge="B")
    assert result.outcome is Outcome.TAMPERED


def test_a_challenge_needs_a_signed_presentation():
    result, _ = check(presentation(signed()), challenge="c-1234")
    assert result.outcome is Outcome.MALFORMED
    assert "no valid authentication proof" in result.errors[0]


@pytest.mark.parametrize(
    ("signed_for", "asked", "ok"),
    [
        ("verifier.example", "verifier.example", True),
        ("verifier.example", "other.example", False),
        (["a.example", "verifier.example"], "verifier.example", True),
        (["a.example", "b.example"], "verifier.example", False),
        ("verifier.example", ["verifier.example"], True),
    ],
)
def test_the_domain_asked_for_must_be_among_the_proofs_domains(signed_for, asked, ok):
    document = holder_signed(presentation(signed()), challenge="c-1", domain=signed_for)
    result, _ = check(document, challenge="c-1", domain=asked)
    assert result.verified is ok, result.errors
    if not ok:
        assert "no proof carries the challenge 'c-1' and domain" in result.errors[0]


def test_a_presentation_with_no_credentials_is_allowed():
    result, each = check(holder_signed(presentation(), challenge="c-9"), challenge="c-9")
    assert result.outcome is Outcome.VALID, result.errors
    assert each == []


def test_a_presentation_signed_by_someone_other_than_its_holder_is_a_mismatch():
    stranger = Ed25519PrivateKey.from_private_bytes(bytes(range(3, 35)))
    document = eddsa.sign(
        presentation(signed()),
        stranger,
        verification_method=keys.did_key_verification_method(stranger.public_key()),
        created="2026-11-26T11:59:00Z",
        proof_purpose="authentication",
        challenge="c-1",
    )
    result, _ = check(document, challenge="c-1")
    assert result.outcome is Outcome.ISSUER_MISMATCH
    assert "does not belong to the holder" in result.errors[0]


def test_without_a_request_an_unsigned_presentation_is_checked_by_its_credentials():
    result, each = check(presentation(signed()))
    assert result.outcome is Outcome.VALID
    assert [c.outcome for c in each] == [Outcome.VALID]
    assert "not signed" in result.warnings[0]


def test_a_presentation_breaking_the_data_model_is_malformed_with_reasons():
    document = presentation()
    document["holder"] = {"name": "Acme"}
    document["verifiableCredential"] = ["eyJhbGciOiJFUzI1NiJ9.e30.sig"]
    result, each = check(document)
    assert result.outcome is Outcome.MALFORMED
    assert each == []
    assert result.errors == [
        "The holder must be a URL, or an object whose id is a URL.",
        (
            "Credential 1 in the presentation is not a JSON object (a credential as a string "
            "or URL is not allowed)."
        ),
    ]


def test_an_enveloped_credential_is_reported_as_not_supported():
    enveloped = {
        "@context": "https://www.w3.org/ns/credentials/v2",
        "type": "EnvelopedVerifiableCredential",
        "id": "data:application/vc+jwt,eyJhbGciOiJFUzI1NiJ9.e30.sig",
    }
    result, each = check(presentation(signed(), enveloped))
    assert [c.outcome for c in each] == [Outcome.VALID, Outcome.MALFORMED]
    assert "enveloped credential" in each[1].errors[0]
    assert result.outcome is Outcome.MALFORMED
