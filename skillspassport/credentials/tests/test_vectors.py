"""Official test vectors reproduce byte for byte (see vectors/ATTRIBUTION.md for their origin)."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import pytest

from skillspassport.credentials.vc import eddsa, keys, status_list
from skillspassport.credentials.vc.canon import JsonLdError, canonicalize

VECTORS = Path(__file__).resolve().parent / "vectors"
W3C = VECTORS / "w3c-vc-di-eddsa" / "TestVectors"
RDFC = W3C / "eddsa-rdfc-2022"
JCS = W3C / "eddsa-jcs-2022"
OB3 = VECTORS / "1edtech-ob-v3p0-ldp"


def load(path: Path):
    return json.loads(path.read_text())


def text(path: Path) -> str:
    return path.read_text()


def w3c_key():
    pair = load(W3C / "keyPair.json")
    return keys.private_key_from_multikey(pair["privateKeyMultibase"]), pair


def test_w3c_key_pair_round_trips():
    private, pair = w3c_key()
    assert keys.public_multikey(private.public_key()) == pair["publicKeyMultibase"]
    public = keys.public_key_from_multikey(pair["publicKeyMultibase"])
    assert keys.public_key_bytes(public) == keys.public_key_bytes(private.public_key())


def test_w3c_rdfc_canonical_forms_and_hashes():
    unsigned = load(W3C / "unsigned.json")
    config = load(RDFC / "proofConfigDataInt.json")
    assert canonicalize(unsigned) == text(RDFC / "canonDocDataInt.txt")
    assert canonicalize(config) == text(RDFC / "proofCanonDataInt.txt")
    doc_hash = hashlib.sha256(text(RDFC / "canonDocDataInt.txt").encode()).hexdigest()
    proof_hash = hashlib.sha256(text(RDFC / "proofCanonDataInt.txt").encode()).hexdigest()
    assert doc_hash == text(RDFC / "docHashDataInt.txt")
    assert proof_hash == text(RDFC / "proofHashDataInt.txt")
    assert eddsa.hash_data(unsigned, config).hex() == text(RDFC / "combinedHashDataInt.txt")


def test_w3c_rdfc_signature_reproduces_exactly():
    private, _pair = w3c_key()
    unsigned = load(W3C / "unsigned.json")
    config = load(RDFC / "proofConfigDataInt.json")
    signed = eddsa.sign(
        unsigned,
        private,
        verification_method=config["verificationMethod"],
        created=config["created"],
    )
    expected = load(RDFC / "signedDataInt.json")
    assert signed["proof"]["proofValue"] == text(RDFC / "sigBTC58DataInt.txt")
    assert keys.multibase_b58_decode(signed["proof"]["proofValue"]).hex() == text(
        RDFC / "sigHexDataInt.txt"
    )
    assert signed == expected


def test_w3c_signed_credential_verifies_and_a_change_breaks_it():
    _private, pair = w3c_key()
    public = keys.public_key_from_multikey(pair["publicKeyMultibase"])
    signed = load(RDFC / "signedDataInt.json")
    eddsa.verify(signed, signed["proof"], public)
    changed = copy.deepcopy(signed)
    changed["credentialSubject"]["alumniOf"] = "The School of Tampering"
    with pytest.raises(eddsa.ProofError, match="has been changed") as caught:
        eddsa.verify(changed, changed["proof"], public)
    assert caught.value.tampered


def test_w3c_jcs_canonical_forms_and_hashes():
    unsigned = load(W3C / "unsigned.json")
    config = load(JCS / "proofConfigJCS.json")
    assert eddsa.jcs(unsigned).decode() == text(JCS / "canonDocJCS.txt")
    assert eddsa.jcs(config).decode() == text(JCS / "proofCanonJCS.txt")
    assert hashlib.sha256(eddsa.jcs(unsigned)).hexdigest() == text(JCS / "docHashJCS.txt")
    assert hashlib.sha256(eddsa.jcs(config)).hexdigest() == text(JCS / "proofHashJCS.txt")
    assert eddsa.hash_data(unsigned, config).hex() == text(JCS / "combinedHashJCS.txt")


def test_w3c_jcs_signature_reproduces_exactly():
    private, _pair = w3c_key()
    unsigned = load(W3C / "unsigned.json")
    config = load(JCS / "proofConfigJCS.json")
    signed = eddsa.sign(
        unsigned,
        private,
        verification_method=config["verificationMethod"],
        created=config["created"],
        cryptosuite="eddsa-jcs-2022",
    )
    assert eddsa.proof_config(unsigned, signed["proof"]) == config
    assert signed["proof"]["proofValue"] == text(JCS / "sigBTC58JCS.txt")
    assert keys.multibase_b58_decode(signed["proof"]["proofValue"]).hex() == text(
        JCS / "sigHexJCS.txt"
    )
    assert signed == load(JCS / "signedJCS.json")


def test_w3c_jcs_signed_credential_verifies_and_a_change_breaks_it():
    _private, pair = w3c_key()
    public = keys.public_key_from_multikey(pair["publicKeyMultibase"])
    signed = load(JCS / "signedJCS.json")
    eddsa.verify(signed, signed["proof"], public)
    for change in (
        lambda d: d["credentialSubject"].update(alumniOf="The School of Tampering"),
        lambda d: d["proof"].update(created="2023-02-24T23:36:39Z"),
        lambda d: d["proof"]["@context"].pop(),  # the proof signed its contexts
        lambda d: d.update({"@context": d["@context"][::-1]}),
        lambda d: d["@context"].append({"alumniOf": "https://evil.example/alumniOf"}),
    ):
        changed = copy.deepcopy(signed)
        change(changed)
        with pytest.raises((eddsa.ProofError, JsonLdError)):
            eddsa.verify(changed, changed["proof"], public)


def test_w3c_jcs_proof_still_verifies_with_a_held_context_added_after_signing():
    """As eddsa-jcs-2022 verification allows: the document's @context begins with the proof's."""
    _private, pair = w3c_key()
    public = keys.public_key_from_multikey(pair["publicKeyMultibase"])
    signed = load(JCS / "signedJCS.json")
    signed["@context"].append("https://w3id.org/security/data-integrity/v2")
    eddsa.verify(signed, signed["proof"], public)


def test_w3c_employment_vector_hashes_and_signature():
    """Its citizenship context is not vendored: check the hashes and signature from its files."""
    employ = RDFC / "employ"
    private, _pair = w3c_key()
    doc_hash = hashlib.sha256(text(employ / "canonDocDataInt.txt").encode()).digest()
    proof_hash = hashlib.sha256(text(employ / "proofCanonDataInt.txt").encode()).digest()
    assert doc_hash.hex() == text(employ / "docHashDataInt.txt")
    assert (proof_hash + doc_hash).hex() == text(employ / "combinedHashDataInt.txt")
    assert private.sign(proof_hash + doc_hash).hex() == text(employ / "sigHexDataInt.txt")


def test_a_context_that_is_not_vendored_is_refused():
    with pytest.raises(JsonLdError, match="citizenship/v4rc1 is not one this service accepts"):
        canonicalize(load(W3C / "employmentAuth.json"))


def test_w3c_proof_sets_verify():
    pairs = load(W3C / "proof-set-chain" / "multiKeyPairs.json")
    by_vm = {}
    for pair in pairs.values():
        public = keys.public_key_from_multikey(pair["publicKeyMultibase"])
        by_vm[pair["publicKeyMultibase"]] = public
    signed = load(W3C / "proof-set-chain" / "signedProofSet2.json")
    assert len(signed["proof"]) == 2
    for proof in signed["proof"]:
        fragment = proof["verificationMethod"].split("#")[-1]
        eddsa.verify({k: v for k, v in signed.items() if k != "proof"}, proof, by_vm[fragment])


def test_open_badges_vector_reproduces_exactly():
    key_pair = load(OB3 / "key-pair.json")
    expected = load(OB3 / "expected.json")
    private = keys.private_key_from_multikey(key_pair["secretKeyMultibase"])
    assert private.private_bytes_raw().hex() == key_pair["privateKeyHex"][:64]
    credential = load(OB3 / "credential.json")
    options = load(OB3 / "proof-options.json")
    assert canonicalize(credential) == text(OB3 / "document-canon.txt")
    config = eddsa.proof_config(credential, options)
    assert canonicalize(config) == text(OB3 / "proof-canon.txt")
    assert eddsa.hash_data(credential, config).hex() == expected["dataToSignHex"]
    signed = eddsa.sign(
        credential,
        private,
        verification_method=options["verificationMethod"],
        created=options["created"],
    )
    assert (
        keys.multibase_b58_decode(signed["proof"]["proofValue"]).hex() == (expected["signatureHex"])
    )
    assert signed["proof"]["proofValue"] == expected["proofValue"]
    assert signed == load(OB3 / "signed-credential.json")


def test_status_list_example_decodes():
    expected = load(VECTORS / "w3c-vc-bitstring-status-list" / "expected-decoded.json")
    bits = status_list.decode(expected["encodedList"])
    assert len(bits) == expected["decodedLengthBytes"]
    index = int(expected["statusListIndexInRevocableCredential"])
    assert status_list.bit_is_set(bits, index) is bool(expected["expectedStatusAtThatIndex"])


def test_status_list_round_trip_sets_the_left_most_bit_first():
    bits = status_list.new_bitstring()
    status_list.set_bit(bits, 0, True)
    status_list.set_bit(bits, 94567, True)
    assert bits[0] == 0x80
    decoded = status_list.decode(status_list.encode(bits))
    assert status_list.bit_is_set(decoded, 0)
    assert status_list.bit_is_set(decoded, 94567)
    assert not status_list.bit_is_set(decoded, 94566)
    status_list.set_bit(bits, 0, False)
    assert not status_list.bit_is_set(bits, 0)
    with pytest.raises(status_list.StatusListError):
        status_list.bit_is_set(bits, len(bits) * 8)
