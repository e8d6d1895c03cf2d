"""What an attacker sends to the public endpoints gets a 4xx within a second, never a 500."""

from __future__ import annotations

import json
import time

import pytest
from django.urls import reverse

from skillspassport.credentials.tests.test_canon import clique
from skillspassport.credentials.vc import keys

METHOD = (
    "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    "#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
)


def poison():
    document = clique(8)
    document["issuer"] = METHOD.split("#")[0]
    document["proof"] = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2026-01-01T00:00:00Z",
        "verificationMethod": METHOD,
        "proofPurpose": "assertionMethod",
        "proofValue": keys.multibase_b58_encode(bytes(range(64))),
    }
    return document


ATTACKS = {
    "8-node poison graph": json.dumps({"verifiableCredential": poison()}).encode(),
    "5,000-deep JSON": b'{"verifiableCredential": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    "5,000-digit number": b'{"verifiableCredential": {"n": ' + b"9" * 5000 + b"}}",
    "credential nested 400 deep": (
        b'{"verifiableCredential": ' + b'{"a": ' * 400 + b"1" + b"}" * 400 + b"}"
    ),
}


@pytest.mark.parametrize("name", ATTACKS)
def test_the_verify_api_refuses_within_a_second(client, db, name):
    started = time.perf_counter()
    response = client.post("/credentials/verify", ATTACKS[name], content_type="application/json")
    assert time.perf_counter() - started < 1.0
    assert 400 <= response.status_code < 500
    assert response.json()["verified"] is False
    assert response.json()["errors"]


def test_the_verify_page_says_a_poison_graph_is_too_complex(client, db):
    started = time.perf_counter()
    response = client.post(reverse("credentials:verify"), {"credential": json.dumps(poison())})
    assert time.perf_counter() - started < 1.0
    assert "too complex to verify" in response.content.decode()


def test_a_poison_graph_cannot_be_issued_either(client, council):
    """Issuing canonicalises too: the same guard answers, and nothing is recorded."""
    from skillspassport.credentials import services
    from skillspassport.credentials.models import IssuedCredential
    from skillspassport.credentials.tests.test_api_clients import token_for

    api_client, secret = services.api_client_create(
        council=council, name="suites", allowed_awards=[], sandbox=True, user=None
    )
    token = token_for(api_client.application.client_id, secret)
    credential = clique(8)
    del credential["issuer"]  # the sandbox fills in its own
    started = time.perf_counter()
    response = client.post(
        "/sandbox/credentials/issue",
        json.dumps({"credential": credential}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert time.perf_counter() - started < 1.0
    assert response.status_code == 422, response.json()
    assert any("too complex" in e for e in response.json()["errors"])
    assert not IssuedCredential.objects.exists()
