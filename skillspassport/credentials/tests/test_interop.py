"""1EdTech's public OB 3.0 validator fixtures, positive and negative (vectors/ATTRIBUTION.md §4).

The fixtures' verification methods name hosts that cannot be fetched; as the attribution notes
say, a test resolver maps them to the Open Badges specification's published test key, which is
what a verifier that had fetched those DID documents would find.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from skillspassport.credentials.vc import keys, status_list
from skillspassport.credentials.vc.verifier import Outcome, StatusAnswer, verify_credential

FIXTURES = Path(__file__).resolve().parent / "vectors" / "1edtech-validator-ob30"
FIXTURE_HOSTS = (
    "https://example.com/issuers/",
    "https://example.edu/issuers/",
    "https://1edtech.edu/",
)
NOW = datetime(2026, 11, 26, tzinfo=UTC)


def resolve(method: str):
    if method.startswith("did:key:"):
        return keys.resolve_did_key(method)
    if method.startswith(FIXTURE_HOSTS) and "#" in method:
        try:
            return keys.public_key_from_multikey(method.split("#", 1)[1])
        except keys.KeyFormatError:
            return None
    return None


def fixture_status(entry):
    """The fixtures' status list lives on GitHub; map it to the local copy, `testlist`."""
    listed = json.loads((FIXTURES / "bit-string-list" / "testlist").read_text())
    bits = status_list.decode(listed["credentialSubject"]["encodedList"])
    index = int(str(entry["statusListIndex"]))  # the fixture uses a number, not a string
    return StatusAnswer.SET if status_list.bit_is_set(bits, index) else StatusAnswer.UNSET


def fixture_issuers(issuer_id: str, method: str) -> str | None:
    """A registry that knows the fixtures' issuers, as a verifier trusting 1EdTech's would."""
    return "Example issuer (1EdTech fixtures)" if method.startswith(issuer_id) else None


def check(name: str):
    document = json.loads((FIXTURES / name).read_text())
    return verify_credential(
        document,
        resolve_key=resolve,
        check_status=fixture_status,
        issuer_name=fixture_issuers,
        now=NOW,
    )


def test_status_list_bit_order():
    listed = json.loads((FIXTURES / "bit-string-list" / "testlist").read_text())
    bits = status_list.decode(listed["credentialSubject"]["encodedList"])
    assert len(bits) * 8 == 131_072
    assert [i for i in range(64) if status_list.bit_is_set(bits, i)] == [23]


@pytest.mark.parametrize(
    ("name", "outcome"),
    [
        ("simple.json", Outcome.VALID),
        ("bit-string-list/credential-status-revoked.json", Outcome.REVOKED),
        ("bit-string-list/credential-status-revoked-blank-nodes.json", Outcome.REVOKED),
        ("simple-err-expired.json", Outcome.EXPIRED),
        ("simple-err-issued.json", Outcome.NOT_YET_VALID),
        ("simple-err-issuer.json", Outcome.MALFORMED),
        ("simple-err-context.json", Outcome.MALFORMED),
        ("simple-noproof.json", Outcome.MALFORMED),
        ("simple-eddsa-2022.json", Outcome.MALFORMED),  # legacy cryptosuite, un-vendored contexts
        ("simple-multiple-proofs.json", Outcome.MALFORMED),  # one proof of an unknown type
        # 1EdTech accepts this one; here the key must belong to the issuer, and its issuer is a
        # urn:uuid, not the did:key that signed it, so anyone's key could have signed it.
        ("simple-did-key-method.json", Outcome.ISSUER_MISMATCH),
        ("simple-err-proof-value.json", Outcome.TAMPERED),
        ("simple-err-type.json", Outcome.MALFORMED),  # "OtherCredential" is not a defined type
    ],
)
def test_fixture_outcomes(name, outcome):
    result = check(name)
    assert result.outcome is outcome, result.errors
    assert result.verified is (outcome is Outcome.VALID)
    if outcome is not Outcome.VALID:
        assert result.errors


@pytest.mark.parametrize(
    "name",
    [
        "simple-err-credential-subject-type.json",
        "simple-err-proof-method.json",
        "simple-err-proof-method-no-scheme.json",
        "simple-err-proof-method-unknown-scheme.json",
        "simple-err-proof-method-unknown-did-method.json",
    ],
)
def test_negative_fixtures_never_verify(name):
    result = check(name)
    assert not result.verified
    assert result.errors
