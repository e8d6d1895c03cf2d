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


CHAIN = W3C / "proof-set-chain"


def chain_keys():
    """The four proof-set-and-chain test keys, by the multikey that names them."""
    pairs = load(CHAIN / "multiKeyPairs.json").values()
    return {
        pair["publicKeyMultibase"]: keys.private_key_from_multikey(pair["privateKeyMultibase"])
        for pair in pairs
    }


def sign_as(document, config, **options):
    private = chain_keys()[config["verificationMethod"].split("#")[-1]]
    return eddsa.sign(
        document,
        private,
        verification_method=config["verificationMethod"],
        created=config["created"],
        proof_id=config.get("id"),
        previous_proof=config.get("previousProof"),
        **options,
    )


def verify_all(document):
    by_key = {k: p.public_key() for k, p in chain_keys().items()}
    for proof in document["proof"]:
        eddsa.verify(document, proof, by_key[proof["verificationMethod"].split("#")[-1]])


def test_w3c_proof_set_reproduces_exactly():
    unsigned = load(CHAIN / "unsigned.json")
    first = sign_as(unsigned, load(CHAIN / "proofSetConfig1.json"))
    assert first == load(CHAIN / "signedProofSet1.json")
    both = sign_as(first, load(CHAIN / "proofSetConfig2.json"))
    assert both["proof"][1] == load(CHAIN / "proofSetConfigSigned2.json")
    assert both == load(CHAIN / "signedProofSet2.json")
    verify_all(both)


def test_w3c_proof_chain_reproduces_exactly():
    """Each chained proof signs the document with just the proofs its previousProof names."""
    chained = sign_as(load(CHAIN / "signedProofSet2.json"), load(CHAIN / "proofChainConfig1.json"))
    assert eddsa.signed_document(chained, chained["proof"][2]) == load(
        CHAIN / "proofChainTempDoc1.json"
    )
    assert chained["proof"][2] == load(CHAIN / "proofChainConfigSigned1.json")
    assert chained == load(CHAIN / "signedProofChain1.json")
    longer = sign_as(chained, load(CHAIN / "proofChainConfig2.json"))  # previousProof: a string
    assert eddsa.signed_document(longer, longer["proof"][3]) == load(
        CHAIN / "proofChainTempDoc2.json"
    )
    assert longer["proof"][3] == load(CHAIN / "proofChainConfigSigned2.json")
    assert longer == load(CHAIN / "signedProofChain2.json")


@pytest.mark.parametrize(
    "name", ["signedProofSet2.json", "signedProofChain1.json", "signedProofChain2.json"]
)
def test_w3c_proof_sets_and_chains_verify(name):
    verify_all(load(CHAIN / name))


def test_a_chained_proof_breaks_when_a_proof_it_names_changes():
    document = load(CHAIN / "signedProofChain2.json")
    document["proof"][2]["created"] = "2023-02-26T22:06:39Z"  # the proof the last one chains to
    with pytest.raises(eddsa.ProofError, match="has been changed"):
        verify_all(document)


@pytest.mark.parametrize(
    ("previous", "message"),
    [
        ("urn:uuid:no-such-proof", "not among the document's proofs"),
        (["urn:uuid:26329423-bec9-4b2e-88cb-a7c7d9dc4544", "urn:uuid:missing"], "missing"),
        (456321, "must be the id of a proof"),
        ([], "must be the id of a proof"),
    ],
)
def test_a_dangling_or_malformed_previous_proof_is_an_error(previous, message):
    document = load(CHAIN / "signedProofChain2.json")
    document["proof"][3]["previousProof"] = previous
    with pytest.raises(eddsa.ProofError, match=message) as caught:
        verify_all(document)
    assert not caught.value.tampered
    with pytest.raises(eddsa.ProofError, match=message):
        sign_as(
            load(CHAIN / "signedProofSet2.json"),
            {**load(CHAIN / "proofChainConfig2.json"), "previousProof": previous},
        )


def test_a_proof_id_already_in_the_document_is_refused():
    config = load(CHAIN / "proofSetConfig1.json")
    with pytest.raises(eddsa.ProofError, match="already has a proof with the id"):
        sign_as(load(CHAIN / "signedProofSet1.json"), config)


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


def test_pinned_scoped_contexts_are_resolved_once_and_inline_ones_each_time():
    """The resolver's shortcut applies only to the pinned contexts' own objects."""
    from skillspassport.credentials.vc.contexts import (
        OPEN_BADGES_V3,
        PinnedContextResolver,
        context_document,
        pyld_options,
    )

    scoped = next(
        value["@context"]
        for value in context_document(OPEN_BADGES_V3)["@context"].values()
        if isinstance(value, dict) and isinstance(value.get("@context"), dict)
    )
    resolver = pyld_options()["contextResolver"]
    assert resolver.resolve({}, scoped, None) is resolver.resolve({}, scoped, None)
    assert id(scoped) in PinnedContextResolver._by_identity
    inline = dict(scoped)  # equal content, another object: not taken by identity
    resolver.resolve({}, inline, None)
    assert id(inline) not in PinnedContextResolver._by_identity
