"""A credential with several proofs: every proof in a set, and each link of a chain, must hold."""

from __future__ import annotations

import copy

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from skillspassport.credentials.tests.test_verifier import NOW, unsigned
from skillspassport.credentials.vc import eddsa
from skillspassport.credentials.vc.verifier import Outcome, StatusAnswer, verify_credential

ISSUER = "did:web:passport.example.org"
KEYS = {
    f"{ISSUER}#key-{n}": Ed25519PrivateKey.from_private_bytes(bytes([n]) * 32) for n in (1, 2, 3)
}
FIRST = "urn:uuid:3b9d1a0e-4c59-4f7e-9a0b-1f2e3d4c5b6a"
SECOND = "urn:uuid:7c1e2d3f-5a6b-4c8d-9e0f-a1b2c3d4e5f6"


def issued():
    return unsigned(issuer={"id": ISSUER, "type": ["Profile"], "name": "Sefton Council"})


def add(document, key=1, **options):
    method = f"{ISSUER}#key-{key}"
    return eddsa.sign(
        document,
        KEYS[method],
        verification_method=method,
        created="2026-11-01T09:00:00Z",
        **options,
    )


def check(document):
    return verify_credential(
        document,
        resolve_key=lambda method: KEYS[method].public_key() if method in KEYS else None,
        check_status=lambda entry: StatusAnswer.UNSET,
        issuer_name=lambda issuer, method: "Sefton Council" if issuer == ISSUER else None,
        now=NOW,
    )


def chain():
    """Key 1 signs; key 2 signs alongside it (a set); key 3 signs over both (a chain)."""
    document = add(issued(), 1, proof_id=FIRST)
    document = add(document, 2, proof_id=SECOND)
    return add(document, 3, previous_proof=[FIRST, SECOND])


def test_a_proof_set_verifies_when_every_proof_does():
    document = add(add(issued(), 1), 2)
    assert len(document["proof"]) == 2
    assert "previousProof" not in document["proof"][1]
    result = check(document)
    assert result.outcome is Outcome.VALID, result.errors
    assert sum("Signature by" in c for c in result.checks) == 2


def test_a_proof_chain_verifies_link_by_link():
    document = chain()
    assert document["proof"][2]["previousProof"] == [FIRST, SECOND]
    result = check(document)
    assert result.outcome is Outcome.VALID, result.errors
    assert sum("Signature by" in c for c in result.checks) == 3
    single = add(add(issued(), 1, proof_id=FIRST), 2, previous_proof=FIRST)
    assert check(single).outcome is Outcome.VALID


def test_one_bad_proof_in_a_set_fails_the_credential():
    document = copy.deepcopy(add(add(issued(), 1), 2))
    document["proof"][0]["proofValue"] = document["proof"][1]["proofValue"]
    result = check(document)
    assert result.outcome is Outcome.TAMPERED
    assert len(result.errors) == 1


def test_a_chained_proof_fails_when_an_earlier_proof_is_swapped():
    document = copy.deepcopy(chain())
    later = eddsa.sign(
        issued(),
        KEYS[f"{ISSUER}#key-2"],
        verification_method=f"{ISSUER}#key-2",
        created="2026-11-02T09:00:00Z",
        proof_id=SECOND,
    )
    document["proof"][1] = later["proof"]  # valid on its own, but not what key 3 signed over
    result = check(document)
    assert result.outcome is Outcome.TAMPERED
    assert [c for c in result.checks if "Signature by" in c] == [
        f"Signature by {ISSUER}#key-1 is valid.",
        f"Signature by {ISSUER}#key-2 is valid.",
    ]


@pytest.mark.parametrize(
    ("previous", "message"),
    [
        ("urn:uuid:not-here", "not among the document's proofs"),
        ([FIRST, "urn:uuid:not-here"], "not among the document's proofs"),
        (456321, "must be the id of a proof"),
    ],
)
def test_a_dangling_previous_proof_is_malformed(previous, message):
    document = copy.deepcopy(chain())
    document["proof"][2]["previousProof"] = previous
    result = check(document)
    assert result.outcome is Outcome.MALFORMED
    assert any(message in e for e in result.errors), result.errors


def test_a_proof_by_someone_other_than_the_issuer_fails_the_set():
    stranger = Ed25519PrivateKey.from_private_bytes(bytes([9]) * 32)
    document = eddsa.sign(
        add(issued(), 1),
        stranger,
        verification_method="did:web:elsewhere.example#key-1",
        created="2026-11-01T09:00:00Z",
    )
    assert check(document).outcome is Outcome.ISSUER_MISMATCH


def test_too_many_proofs_are_refused():
    document = issued()
    for _ in range(9):
        document = add(document, 1)
    result = check(document)
    assert result.outcome is Outcome.MALFORMED
    assert "9 proofs; this service checks up to 8" in result.errors[0]
