"""Verification outcomes and reasons, without Django and without the network."""

from __future__ import annotations

import copy
import json
import socket
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from skillspassport.credentials.vc import eddsa, keys
from skillspassport.credentials.vc.verifier import (
    InputError,
    Outcome,
    StatusAnswer,
    parse_json,
    verify_credential,
    verify_presentation,
)

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
ISSUER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
ISSUER = keys.did_key(ISSUER_KEY.public_key())
METHOD = keys.did_key_verification_method(ISSUER_KEY.public_key())
STATUS_URL = "https://passport.example.org/credentials/status/sefton/revocation"


def unsigned(**overrides):
    credential = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:2f1f8e42-6a1b-4d51-9b3c-2d7f3e1c8a10",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": ISSUER, "type": ["Profile"], "name": "Sefton Council"},
        "validFrom": "2026-11-01T00:00:00Z",
        "name": "Digital: Silver",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://passport.example.org/framework/#achievement-digital-silver",
                "type": ["Achievement"],
                "name": "Digital: Silver",
                "description": "At least one digital skill for life in each of five areas.",
                "criteria": {"narrative": "Verified by a tutor or adviser."},
            },
        },
        "credentialStatus": {
            "id": f"{STATUS_URL}#94567",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "94567",
            "statusListCredential": STATUS_URL,
        },
    }
    credential.update(overrides)
    return credential


def signed(credential=None, key=ISSUER_KEY, method=METHOD, **proof):
    return eddsa.sign(
        credential or unsigned(),
        key,
        verification_method=method,
        created="2026-11-01T09:00:00Z",
        **proof,
    )


def resolve(method):
    try:
        return keys.resolve_did_key(method)
    except keys.KeyFormatError:
        return None


def status_unset(entry):
    return StatusAnswer.UNSET


def registry(issuer_id, method):
    """A trust registry that knows one issuer, by its own key."""
    return "Sefton Council (registry)" if (issuer_id, method) == (ISSUER, METHOD) else None


def trusts_nobody(issuer_id, method):
    return None


def check(credential, status=status_unset, now=NOW, issuer_name=registry):
    return verify_credential(
        credential, resolve_key=resolve, check_status=status, issuer_name=issuer_name, now=now
    )


def test_a_signed_credential_is_valid_with_reasons():
    result = check(signed())
    assert result.outcome is Outcome.VALID, result.errors
    assert result.verified
    assert result.trusted
    assert result.issuer_id == ISSUER
    assert result.issuer_name == "Sefton Council (registry)"
    assert any("Signature by did:key:" in c for c in result.checks)
    assert "It is not on the issuer's revocation list." in result.checks


def test_a_valid_signature_from_an_issuer_the_registry_does_not_know_is_untrusted():
    result = check(signed(), issuer_name=trusts_nobody)
    assert result.outcome is Outcome.UNTRUSTED_ISSUER
    assert result.verified  # the VC-API's "verified": proofs, status and dates are fine
    assert not result.trusted
    assert result.errors == []
    assert result.warnings == [
        f"The signature is valid, but the issuer {ISSUER} is not one this service recognises."
    ]
    assert result.issuer_id == ISSUER
    assert result.issuer_name is None  # never the credential's own "Sefton Council"


def test_the_registry_is_asked_about_the_issuer_and_the_key_that_signed():
    asked = []
    check(signed(), issuer_name=lambda issuer, method: asked.append((issuer, method)))
    assert asked == [(ISSUER, METHOD)]


def test_worse_outcomes_come_before_an_untrusted_issuer():
    expired = check(signed(unsigned(validUntil="2026-11-20T00:00:00Z")), issuer_name=trusts_nobody)
    assert expired.outcome is Outcome.EXPIRED
    assert not expired.verified
    assert "is not one this service recognises" in expired.warnings[0]


@pytest.mark.parametrize("cryptosuite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_changing_any_single_character_fails_verification(cryptosuite):
    text = json.dumps(signed(cryptosuite=cryptosuite), separators=(",", ":"))
    positions = [i for i, ch in enumerate(text) if ch.isalnum()]
    assert len(positions) > 800
    for i in positions:
        ch = text[i]
        replacement = "x" if ch != "x" else "y"
        if ch.isdigit():
            replacement = "7" if ch != "7" else "8"
        changed = text[:i] + replacement + text[i + 1 :]
        try:
            document = parse_json(changed)
        except InputError:
            continue
        result = check(document)
        assert not result.verified, (
            f"still valid after changing position {i}: {changed[i - 20 : i + 20]}"
        )
        assert result.errors


def test_a_jcs_signed_credential_is_valid_and_signs_its_contexts():
    credential = signed(cryptosuite="eddsa-jcs-2022")
    assert credential["proof"]["@context"] == credential["@context"]
    result = check(credential)
    assert result.outcome is Outcome.VALID, result.errors
    relabelled = copy.deepcopy(credential)
    relabelled["proof"]["cryptosuite"] = "eddsa-rdfc-2022"
    assert check(relabelled).outcome is Outcome.TAMPERED


def test_undefined_terms_are_refused_whichever_cryptosuite():
    credential = unsigned()
    credential["credentialSubject"]["favouriteColour"] = "teal"
    for cryptosuite in ("eddsa-rdfc-2022", "eddsa-jcs-2022"):
        with pytest.raises(ValueError, match="favouriteColour"):
            signed(credential, cryptosuite=cryptosuite)
    added_later = copy.deepcopy(signed(cryptosuite="eddsa-jcs-2022"))
    added_later["credentialSubject"]["favouriteColour"] = "teal"
    result = check(added_later)
    assert result.outcome is Outcome.MALFORMED
    assert "favouriteColour" in result.errors[0]


def test_signing_refuses_an_unknown_cryptosuite_or_a_bad_created_date():
    with pytest.raises(eddsa.ProofError, match="Unknown cryptosuite"):
        signed(cryptosuite="eddsa-2022")
    with pytest.raises(eddsa.ProofError, match="not an XML Schema date"):
        eddsa.sign(unsigned(), ISSUER_KEY, verification_method=METHOD, created="yesterday")


def test_revoked_and_suspended_are_reported():
    revoked = check(signed(), status=lambda entry: StatusAnswer.SET)
    assert revoked.outcome is Outcome.REVOKED
    assert revoked.errors == ["The issuer has revoked this credential."]
    suspension = unsigned()
    suspension["credentialStatus"] = {
        **suspension["credentialStatus"],
        "statusPurpose": "suspension",
    }
    suspended = check(signed(suspension), status=lambda entry: StatusAnswer.SET)
    assert suspended.outcome is Outcome.SUSPENDED


def test_expired_and_not_yet_valid():
    expired = check(signed(unsigned(validUntil="2026-11-20T00:00:00Z")))
    assert expired.outcome is Outcome.EXPIRED
    assert "It expired on 2026-11-20T00:00:00Z." in expired.errors
    early = check(signed(unsigned(validFrom="2027-01-01T00:00:00Z")))
    assert early.outcome is Outcome.NOT_YET_VALID


def test_a_key_this_service_does_not_know_is_an_unknown_issuer():
    foreign = signed(
        unsigned(issuer={"id": "did:web:elsewhere.example", "type": ["Profile"], "name": "X"}),
        method="did:web:elsewhere.example#key-1",
    )
    result = check(foreign)
    assert result.outcome is Outcome.UNKNOWN_ISSUER
    assert "is not one this service knows" in result.errors[0]


def test_a_key_that_is_not_the_issuers_is_an_issuer_mismatch():
    other = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
    result = check(signed(key=other, method=keys.did_key_verification_method(other.public_key())))
    assert result.outcome is Outcome.ISSUER_MISMATCH
    assert "does not belong to the issuer" in result.errors[0]
    assert not result.verified
    assert result.issuer_name is None


@pytest.mark.parametrize(
    ("mutate", "outcome", "message"),
    [
        (lambda c: c.pop("proof"), Outcome.MALFORMED, "has no proof"),
        (lambda c: c.update(proof=[c["proof"], c["proof"]]), Outcome.MALFORMED, "more than once"),
        (lambda c: c.update(proof=[]), Outcome.MALFORMED, "proof list is empty"),
        (
            lambda c: c["proof"].update(cryptosuite="ecdsa-rdfc-2019"),
            Outcome.MALFORMED,
            "Unknown cryptosuite",
        ),
        (
            lambda c: c["proof"].update(proofPurpose="authentication"),
            Outcome.MALFORMED,
            "proofPurpose",
        ),
        (lambda c: c["proof"].update(proofValue="not-multibase"), Outcome.TAMPERED, "proofValue"),
        (
            lambda c: c.update({"@context": ["https://example.org/ctx"]}),
            Outcome.MALFORMED,
            "first @context",
        ),
        (
            lambda c: c.update(type=["OpenBadgeCredential"]),
            Outcome.MALFORMED,
            "VerifiableCredential",
        ),
        (lambda c: c.pop("issuer"), Outcome.MALFORMED, "no issuer"),
    ],
)
def test_broken_credentials_get_clear_reasons(mutate, outcome, message):
    credential = copy.deepcopy(signed())
    mutate(credential)
    result = check(credential)
    assert result.outcome is outcome
    assert any(message in e for e in result.errors), result.errors


def test_a_signed_but_unreadable_date_is_malformed():
    result = check(signed(unsigned(validUntil="next tuesday")))
    assert result.outcome is Outcome.MALFORMED
    assert result.errors[0].startswith("validUntil is not a date and time with a time zone")


def test_undefined_terms_are_errors_not_silently_dropped():
    credential = unsigned()
    credential["@context"] = ["https://www.w3.org/2018/credentials/v1"]  # no @vocab in 1.1
    credential["type"] = ["VerifiableCredential"]
    credential["issuanceDate"] = "2026-11-01T00:00:00Z"
    credential["favouriteColour"] = "teal"
    for key in ("validFrom", "name", "credentialStatus"):
        credential.pop(key)
    credential["credentialSubject"] = {"id": "did:example:123"}
    credential["@context"].append("https://w3id.org/security/data-integrity/v2")
    with pytest.raises(ValueError, match="favouriteColour"):
        signed(credential)


def test_vcdm_1_1_credentials_verify():
    credential = {
        "@context": [
            "https://www.w3.org/2018/credentials/v1",
            "https://w3id.org/security/data-integrity/v2",
        ],
        "type": ["VerifiableCredential"],
        "issuer": ISSUER,
        "issuanceDate": "2026-01-01T00:00:00Z",
        "expirationDate": "2027-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:123"},
    }
    assert check(signed(credential)).outcome is Outcome.VALID
    late = check(signed(credential), now=datetime(2027, 6, 1, tzinfo=UTC))
    assert late.outcome is Outcome.EXPIRED


def test_unknown_status_list_is_a_warning_not_a_failure():
    result = check(signed(), status=lambda entry: StatusAnswer.UNKNOWN)
    assert result.verified
    assert "was not fetched" in result.warnings[0]


def test_presentations_verify_each_credential():
    good, bad = signed(), copy.deepcopy(signed())
    bad["name"] = "Digital: Gold"
    presentation = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "verifiableCredential": [good, bad],
    }
    result, each = verify_presentation(
        presentation, resolve_key=resolve, check_status=status_unset, issuer_name=registry, now=NOW
    )
    assert [c.outcome for c in each] == [Outcome.VALID, Outcome.TAMPERED]
    assert result.outcome is Outcome.TAMPERED
    assert result.errors[0].startswith("Credential 2:")


def test_a_presentation_of_an_untrusted_issuers_credential_is_verified_but_untrusted():
    presentation = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "verifiableCredential": [signed()],
    }
    result, each = verify_presentation(
        presentation,
        resolve_key=resolve,
        check_status=status_unset,
        issuer_name=trusts_nobody,
        now=NOW,
    )
    assert each[0].outcome is Outcome.UNTRUSTED_ISSUER
    assert result.outcome is Outcome.UNTRUSTED_ISSUER
    assert result.verified
    assert not result.trusted
    assert any(w.startswith("Credential 1: The signature is valid") for w in result.warnings)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"proof": 1, "proof": 2}', r"repeats the key\(s\): proof"),
        (b"\xff\xfe", "not valid JSON"),
        (b" " * 1_000_001, "larger than 1 MB"),
    ],
)
def test_unreadable_input(raw, message):
    with pytest.raises(InputError, match=message):
        parse_json(raw)


def test_verification_makes_no_network_request(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("verification tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    assert check(signed()).verified
