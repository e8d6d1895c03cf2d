"""Issuer trust: names only from the registry, per-council DIDs, forgeries named for what they
are, and the employer's check that a credential is the holder's."""

from __future__ import annotations

import copy
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.urls import reverse

from skillspassport.credentials import keystore, services
from skillspassport.credentials.services import credential_issue, share_link_create
from skillspassport.credentials.vc import eddsa, keys

VERIFY_API = "/credentials/verify"


def api(client, url, body, **extra):
    return client.post(url, json.dumps(body), content_type="application/json", **extra)


@pytest.fixture
def issued(bronze_resident, adviser):
    return credential_issue(resident=bronze_resident, strand_code="digital", user=adviser)


def outcome_box(page):
    """The verification result on a page (the rest may echo what was pasted)."""
    body = page.content.decode()
    start = body.index('<div class="app-verification')
    return body[start : body.index("<h1", start)]  # the verify page's heading follows it


def did_key_forgery(template):
    """The attack: a fresh did:key, the council's name in issuer.name, a valid signature."""
    key = Ed25519PrivateKey.generate()
    did = keys.did_key(key.public_key())
    document = {k: v for k, v in copy.deepcopy(template).items() if k not in ("proof",)}
    document.pop("credentialStatus", None)
    document["issuer"] = {"id": did, "type": ["Profile"], "name": "Sefton Council"}
    signed = eddsa.sign(
        document,
        key,
        verification_method=keys.did_key_verification_method(key.public_key()),
        created="2026-11-01T00:00:00Z",
    )
    return signed, did


def test_passports_are_issued_under_the_councils_own_did(issued, council, client):
    did = keystore.council_did(council.pk)
    assert issued.document["issuer"]["id"] == did
    assert issued.document["proof"]["verificationMethod"].startswith(did + "#")
    document = client.get(f"/councils/{council.pk}/did.json").json()
    assert document["id"] == did
    assert issued.document["proof"]["verificationMethod"] in document["assertionMethod"]
    assert client.get("/councils/99999/did.json").status_code == 404


def test_a_did_key_forgery_is_never_valid_and_never_named_as_the_council(client, issued):
    forged, did = did_key_forgery(issued.document)
    page = client.post(reverse("credentials:verify"), {"credential": json.dumps(forged)})
    body = page.content.decode()
    assert "Issuer not recognised" in body
    body = outcome_box(page)
    assert "genuine, unchanged and current" not in body
    assert "Issued by" not in body
    assert "Sefton Council" not in body
    assert did in body  # the identifier is shown, as a claim

    response = api(client, VERIFY_API, {"verifiableCredential": forged}).json()
    assert response["outcome"] == "untrusted_issuer"
    assert response["issuer"] == {"id": did, "recognised": False, "name": None}
    assert any(did in w and "not one this service recognises" in w for w in response["warnings"])


def test_a_forged_share_of_another_councils_key_is_an_issuer_mismatch(
    client, issued, other_council
):
    """Signed by Sefton's key but claiming Knowsley's DID: the key is not the issuer's."""
    document = {k: v for k, v in copy.deepcopy(issued.document).items() if k != "proof"}
    document["issuer"]["id"] = keystore.council_did(other_council.pk)
    key = keystore.issuer_key_for(issued.council)
    signed = eddsa.sign(
        document,
        keystore.private_key(key),
        verification_method=keystore.verification_method(key),
        created="2026-11-01T00:00:00Z",
    )
    response = api(client, VERIFY_API, {"verifiableCredential": signed}).json()
    assert response["outcome"] == "issuer_mismatch"
    assert response["verified"] is False


def test_a_key_of_one_council_cannot_be_named_under_anothers_did(client, issued, other_council):
    document = {k: v for k, v in copy.deepcopy(issued.document).items() if k != "proof"}
    other_did = keystore.council_did(other_council.pk)
    document["issuer"]["id"] = other_did
    key = keystore.issuer_key_for(issued.council)
    signed = eddsa.sign(
        document,
        keystore.private_key(key),
        verification_method=f"{other_did}#{key.key_id}",
        created="2026-11-01T00:00:00Z",
    )
    response = api(client, VERIFY_API, {"verifiableCredential": signed}).json()
    assert response["outcome"] == "unknown_issuer"


def test_a_genuine_passport_names_the_council_from_the_registry(client, issued):
    page = client.post(reverse("credentials:verify"), {"credential": json.dumps(issued.document)})
    body = page.content.decode()
    assert "genuine, unchanged and current" in body
    assert "Issued by" in body
    assert "Sefton Council" in body
    response = api(client, VERIFY_API, {"verifiableCredential": issued.document}).json()
    assert response["outcome"] == "valid"
    assert response["issuer"]["name"] == "Sefton Council"


def test_the_name_comes_from_the_registry_not_the_credential(client, issued, council):
    council.name = "Sefton Metropolitan Borough Council"
    council.save()
    page = client.post(reverse("credentials:verify"), {"credential": json.dumps(issued.document)})
    assert "Sefton Metropolitan Borough Council" in page.content.decode()


def test_a_trusted_outside_issuer_is_named_with_who_vouched(client, issued, council, staff):
    forged, did = did_key_forgery(issued.document)
    services.trusted_issuer_add(
        council=council,
        did=did,
        name="Hugh Baird College",
        evidence="Met the college's head of IT on 1 Nov 2026; DID confirmed by signed letter.",
        user=staff["administrator"],
    )
    response = api(client, VERIFY_API, {"verifiableCredential": forged}).json()
    assert response["outcome"] == "valid"
    assert response["issuer"]["name"] == "Hugh Baird College"
    issuer = council.trusted_issuers.get()
    services.trusted_issuer_remove(issuer=issuer, user=staff["administrator"])
    response = api(client, VERIFY_API, {"verifiableCredential": forged}).json()
    assert response["outcome"] == "untrusted_issuer"


@pytest.mark.parametrize(
    ("did", "name", "message"),
    [
        ("did:key:z6MkNOTAKEY", "A College", "not an Ed25519 did:key"),
        ("https://example.org", "A College", "Enter a did:key or did:web"),
        ("did:web:example.org", "Sefton  council", "a council this service hosts"),
        ("did:web:example.org", "", "Enter the DID, the issuer's name"),
    ],
)
def test_trusted_issuer_input_is_checked(council, staff, did, name, message):
    with pytest.raises(services.RegistryError, match=message):
        services.trusted_issuer_add(
            council=council, did=did, name=name, evidence="Checked.", user=staff["administrator"]
        )


def test_own_and_sandbox_dids_cannot_be_added(council, staff):
    for did in (keystore.council_did(council.pk), keystore.issuer_did(None)):
        with pytest.raises(services.RegistryError):
            services.trusted_issuer_add(
                council=council, did=did, name="X", evidence="E", user=staff["administrator"]
            )


def test_employer_checks_the_credential_is_the_holders(client, adviser, issued):
    token = share_link_create(user=adviser, credential=issued)
    url = reverse("credentials:share", args=[token])
    page = client.get(url).content.decode()
    assert "Check it is the holder" in page
    assert "kerry@example.org" not in page
    right = client.post(url, {"email": "  Kerry@Example.org "}).content.decode()
    assert "The email address matches" in right
    wrong = client.post(url, {"email": "someone@example.org"}).content.decode()
    assert "does not match" in wrong
    bad = client.post(url, {"email": "not an email"}).content.decode()
    assert "Enter an email address in the right format" in bad


def test_verify_page_checks_the_holder_too(client, issued):
    page = client.post(
        reverse("credentials:verify"),
        {"credential": json.dumps(issued.document), "email": "kerry@example.org"},
    )
    assert "The email address matches" in page.content.decode()
