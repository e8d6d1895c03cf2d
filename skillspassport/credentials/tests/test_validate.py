"""The data model's rules, checked against every input of the W3C VCDM 2.0 test suite.

Each input's name says what an issuer must do with it (vectors/ATTRIBUTION.md §6): "-ok" issue
it, "-fail" refuse it. Some refusals need JSON-LD processing (undefined or redefined terms,
contexts this service does not hold); those come from canon.py, not validate.py, and are
listed here so that each file is checked by the layer that should catch it.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from skillspassport.credentials.tests.test_verifier import check, signed, unsigned
from skillspassport.credentials.vc import canon
from skillspassport.credentials.vc.validate import (
    credential_problems,
    is_enveloped,
    parse_datetime,
    presentation_problems,
)
from skillspassport.credentials.vc.verifier import Outcome

INPUT = Path(__file__).resolve().parent / "vectors" / "w3c-vc-data-model-2.0-test-suite" / "input"
SUITE_ISSUER = "did:key:z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj"
REFUSED_BY_JSON_LD = {
    "credential-type-unmapped-fail.json",
    "credential-type-mapped-nonurl-fail.json",
    "credential-redef-type-fail.json",
    "credential-redef-type2-fail.json",
    "credential-proof-missing-type-fail.json",  # an ed25519-2020 context this service lacks
}
# Not used by any test of the suite: a credential sent for issuing with someone's
# Ed25519Signature2020 proof already on it, whose terms the v2 context does not define.
NOT_USED_BY_THE_SUITE = {"credential-proof-ok.json"}
CREDENTIALS = sorted(
    p.relative_to(INPUT).as_posix()
    for p in [*INPUT.glob("credential-*.json"), *INPUT.glob("names-and-descriptions/*.json")]
    if p.name not in NOT_USED_BY_THE_SUITE
)


def as_the_suite_sends(name):
    """The input with the issuer filled in as the suite's createRequestBody does, and the
    temporality inputs' "PAST DATE" and "FUTURE DATE" made real."""
    credential = json.loads((INPUT / name).read_text())
    issuer = credential.get("issuer")
    if isinstance(issuer, dict):
        if not ("id" in issuer and issuer["id"] is None):
            issuer["id"] = issuer.get("id") or SUITE_ISSUER
    elif not ("issuer" in credential and issuer is None):
        credential["issuer"] = issuer or SUITE_ISSUER
    dates = {"PAST DATE": "2025-01-01T00:00:00Z", "FUTURE DATE": "2027-01-01T00:00:00Z"}
    return {k: dates.get(v, v) if isinstance(v, str) else v for k, v in credential.items()}


def test_every_suite_input_is_covered():
    assert len(CREDENTIALS) == 71 - 1 + 24


@pytest.mark.parametrize("name", CREDENTIALS)
def test_suite_credential_inputs(name):
    credential = as_the_suite_sends(name)
    problems = credential_problems(credential)
    if name.endswith("-ok.json"):
        assert problems == []
        canon.expand(credential)  # and JSON-LD processing accepts it
    elif name in REFUSED_BY_JSON_LD:
        assert problems == []
        with pytest.raises(canon.JsonLdError):
            canon.expand(credential)
    else:
        assert problems, f"{name} should be refused"
        assert all(p.endswith(".") for p in problems)


PRESENTATIONS = sorted(
    p.name
    for p in INPUT.glob("presentation-*.json")
    if "self-asserted" not in p.name  # holder and issuer matching is not a data-model rule
)


@pytest.mark.parametrize("name", PRESENTATIONS)
def test_suite_presentation_inputs(name):
    presentation = json.loads((INPUT / name).read_text())
    problems = presentation_problems(presentation)
    inner = [  # each credential's own problems, found when it is verified
        problem
        for c in presentation.get("verifiableCredential", [])
        if isinstance(c, dict) and not is_enveloped(c)
        for problem in credential_problems(c)
    ]
    if name.endswith("-ok.json"):
        assert problems == []
        assert inner == []
    else:
        assert problems or inner, f"{name} should be rejected"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"@context": ["https://www.w3.org/ns/credentials/examples/v2"]}, "first @context must"),
        ({"type": "OpenBadgeCredential"}, "must include VerifiableCredential"),
        ({"id": "not a url"}, "id must be a single URL"),
        ({"issuer": None}, "issuer must be a URL"),
        ({"issuer": {"id": ""}}, "issuer's id must be a URL"),
        ({"credentialSubject": []}, "credentialSubject list is empty"),
        ({"credentialSubject": [{"id": "did:example:1"}, {}]}, "makes no claims"),
        ({"validFrom": "2026-11-01T00:00:00"}, "validFrom is not a date and time with a time zone"),
        ({"validFrom": "2026-02-30T00:00:00Z"}, "validFrom is not a date and time"),
        ({"validUntil": "2026-10-01T00:00:00Z"}, "is earlier than validFrom"),
        ({"evidence": [{"type": "Evidence"}, {"name": "x"}]}, "Each evidence must have a type"),
        ({"credentialStatus": {"id": "https://x.example/1"}}, "credentialStatus must have a type"),
        ({"credentialSchema": {"type": "JsonSchema"}}, "credentialSchema must have an id"),
        ({"termsOfUse": {"id": "https://x.example/t"}}, "termsOfUse must have a type"),
        ({"refreshService": {"id": "https://x.example/r"}}, "refreshService must have a type"),
        ({"confidenceMethod": {"id": "https://x.example/c"}}, "confidenceMethod must have a type"),
        ({"renderMethod": [{"id": "https://x.example/r"}]}, "renderMethod must have a type"),
        ({"name": {"@value": "Digital", "colour": "teal"}}, "Name must be a string"),
        ({"description": {"@value": "x", "@direction": "up"}}, "Description must be a string"),
        ({"issuer": {"id": "did:example:1", "name": ["ok", {"@language": "en"}]}}, "issuer's name"),
    ],
)
def test_each_rule_gives_its_reason(change, reason):
    credential = {**unsigned(), **change}
    assert any(reason in p for p in credential_problems(credential)), credential_problems(
        credential
    )


def test_the_credentials_this_service_issues_have_no_problems():
    assert credential_problems(unsigned()) == []
    assert credential_problems(signed()) == []


RELATED = {
    "id": "https://www.w3.org/ns/credentials/v2",
    "mediaType": "application/ld+json",
    "digestSRI": "sha384-NSOcNpmdIVUxIJGvGUoe22FjTWrXiaXlsZ8q6912LdnR3KraQO2n75Ica4wK4Qeg",
    "digestMultibase": "uJKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k",
}


@pytest.mark.parametrize(
    ("related", "reason"),
    [
        ({"id": RELATED["id"], "digestSRI": RELATED["digestSRI"]}, None),
        ({"id": RELATED["id"], "digestMultibase": RELATED["digestMultibase"]}, None),
        ([{k: RELATED[k] for k in ("id", "mediaType", "digestSRI")}], None),
        ([RELATED["id"]], "must be a JSON object"),
        ([{"digestMultibase": RELATED["digestMultibase"]}], "must have an id"),
        (
            [
                {"id": RELATED["id"], "digestSRI": RELATED["digestSRI"]},
                {"id": RELATED["id"], "digestMultibase": RELATED["digestMultibase"]},
            ],
            "listed more than once",
        ),
        ([{"id": RELATED["id"]}], "has no digestSRI or digestMultibase"),
        (
            [
                {
                    "id": RELATED["id"],
                    "digestMultibase": "uM4RgWQc3RUDtjJCSgTJtTfvpZ7SPEg_LNO0ESlovQC0",
                }
            ],
            "does not match",
        ),
        (
            [
                {
                    "id": RELATED["id"],
                    "digestSRI": "sha384-"
                    "_rCVIV7fSXXTNIvpiq26jRDyj8JG8TDjij-tD0ewLk4JpnXEz6a5AeeY_1qQ0d0P",
                }
            ],
            "not a sha256, sha384 or sha512 digest",
        ),
    ],
)
def test_related_resources_as_the_suite_tests_them(related, reason):
    """5-advanced-concepts.js, with its fixtures; the base context's SHA-256 is VCDM 2.0's own."""
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": SUITE_ISSUER,
        "credentialSubject": {"name": "Alice"},
        "relatedResource": related,
    }
    problems = credential_problems(credential)
    if reason is None:
        assert problems == []
    else:
        assert any(reason in p for p in problems), problems


def test_vcdm_1_1_credentials_follow_the_1_1_rules():
    v1 = {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "type": ["VerifiableCredential"],
        "issuer": SUITE_ISSUER,
        "issuanceDate": "2026-01-01T00:00:00",  # 1.1 allows a dateTime with no zone (as UTC)
        "credentialSubject": {"id": "did:example:1"},
    }
    assert credential_problems(v1) == []
    assert (
        "must have an issuanceDate"
        in credential_problems({k: v for k, v in v1.items() if k != "issuanceDate"})[0]
    )
    status = {**v1, "credentialStatus": {"type": "StatusList2021Entry"}}
    assert credential_problems(status) == ["Each credentialStatus must have an id."]


def test_a_date_without_a_zone_is_utc_where_allowed():
    assert parse_datetime("2026-01-01T00:00:00") is None
    assert (
        parse_datetime("2026-01-01T00:00:00", zone_required=False).utcoffset().total_seconds() == 0
    )
    assert parse_datetime("2026-01-01T00:00:00.5-06:00").utcoffset().total_seconds() == -6 * 3600


def test_the_verifier_reports_every_problem_as_malformed():
    credential = copy.deepcopy(unsigned())
    credential["evidence"] = [{"name": "Verified skills"}]
    credential["termsOfUse"] = {"id": "https://passport.example.org/terms"}
    result = check(signed(credential))
    assert result.outcome is Outcome.MALFORMED
    assert result.errors == [
        "Each evidence must have a type.",
        "Each termsOfUse must have a type.",
    ]
