"""The credential journey through pages and the W3C VC-API, with bad input of every kind."""

from __future__ import annotations

import copy
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.credentials import keystore
from skillspassport.credentials.models import IssuedCredential, IssuerKey, StatusList
from skillspassport.credentials.services import credential_issue, share_link_create

VERIFY_API = "/credentials/verify"


@pytest.fixture
def issued(bronze_resident, adviser):
    return credential_issue(resident=bronze_resident, strand_code="digital", user=adviser)


def api(client, url, body, **extra):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(url, data, content_type="application/json", **extra)


def test_adviser_issues_downloads_and_verifies_in_the_ui(client, adviser, bronze_resident):
    client.force_login(adviser)
    page = reverse("people:detail", args=[bronze_resident.public_id])
    assert "Digital: Bronze" in client.get(page).content.decode()
    response = client.post(
        reverse("credentials:issue", args=[bronze_resident.public_id]),
        {"strand": "digital", "validity": "1"},
        follow=True,
    )
    assert "Skills Passport Digital: Bronze credential issued." in response.content.decode()
    credential = IssuedCredential.objects.get()
    download = client.get(
        reverse("credentials:download", args=[bronze_resident.public_id, credential.public_id])
    )
    assert download["Content-Disposition"].startswith("attachment;")
    assert AuditEvent.objects.filter(action=AuditAction.CREDENTIAL_DOWNLOADED).exists()
    client.logout()
    upload = SimpleUploadedFile("credential.json", download.content, "application/json")
    result = client.post(reverse("credentials:verify"), {"file": upload})
    body = result.content.decode()
    assert result.status_code == 200
    assert "This credential is genuine, unchanged and current." in body
    assert "Sefton Council" in body


def test_verify_page_says_why_a_changed_credential_fails(client, issued):
    changed = copy.deepcopy(issued.document)
    changed["name"] = "Skills Passport Digital: Gold"
    response = client.post(reverse("credentials:verify"), {"credential": json.dumps(changed)})
    body = response.content.decode()
    assert "Not genuine" in body
    assert "has been changed since it was signed" in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"credential": ""}, "Paste a credential or choose a file"),
        ({"credential": "{nope"}, "This is not a credential file"),
        ({"credential": "x" * 1_000_001}, "smaller than 1 MB"),
    ],
)
def test_verify_page_bad_input(client, db, data, message):
    response = client.post(reverse("credentials:verify"), data)
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert message in response.content.decode()


def test_share_link_page_qr_and_withdrawal(client, adviser, bronze_resident, issued):
    token = share_link_create(user=adviser, credential=issued)
    page = client.get(reverse("credentials:share", args=[token]))
    assert page.status_code == 200
    assert "This credential is genuine" in page.content.decode()
    qr = client.get(reverse("credentials:share-qr", args=[token]))
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.startswith(b"<svg")
    assert b'xmlns="http://www.w3.org/2000/svg"' in qr.content  # needed in an <img>
    assert client.get(reverse("credentials:share-download", args=[token])).status_code == 200
    # Each opening of the link shows on the resident's audit page (by nobody signed in).
    opened = AuditEvent.objects.filter(resident=bronze_resident, user=None)
    assert sorted(opened.values_list("action", flat=True)) == [
        AuditAction.CREDENTIAL_DOWNLOADED,
        AuditAction.VIEWED,
    ]
    client.force_login(adviser)
    client.post(
        reverse("credentials:share-link", args=[bronze_resident.public_id, issued.public_id]),
        {"withdraw": "1"},
    )
    client.logout()
    assert client.get(reverse("credentials:share", args=[token])).status_code == 410
    assert client.get(reverse("credentials:share-qr", args=[token])).status_code == 410


def test_revoking_through_the_page(client, staff, bronze_resident, issued):
    url = reverse("credentials:withdraw", args=[bronze_resident.public_id, issued.public_id])
    client.force_login(staff["adviser"])
    assert client.get(url).status_code == 403  # advisers issue; administrators revoke
    client.force_login(staff["administrator"])
    empty = client.post(url, {"action": "revoke", "reason": ""})
    assert "Enter the reason" in empty.content.decode()
    client.post(url, {"action": "revoke", "reason": "Issued to the wrong person"})
    issued.refresh_from_db()
    assert issued.state == "revoked"
    response = api(client, VERIFY_API, {"verifiableCredential": issued.document})
    assert response.status_code == 400
    assert response.json()["outcome"] == "revoked"


def test_other_organisations_cannot_touch_credentials(client, other_staff, bronze_resident, issued):
    client.force_login(other_staff["administrator"])
    pid, cid = bronze_resident.public_id, issued.public_id
    for url in (
        reverse("credentials:download", args=[pid, cid]),
        reverse("credentials:withdraw", args=[pid, cid]),
    ):
        assert client.get(url).status_code == 404
    assert (
        client.post(reverse("credentials:issue", args=[pid]), {"strand": "digital"}).status_code
        == 404
    )
    assert client.post(reverse("credentials:share-link", args=[pid, cid])).status_code == 404


def test_did_document_publishes_every_key(client, council, issued):
    old_method = issued.document["proof"]["verificationMethod"]
    keystore.issuer_key_rotate(council)
    doc = client.get(f"/councils/{council.pk}/did.json").json()
    assert doc["id"] == keystore.council_did(council.pk)
    ids = [m["id"] for m in doc["verificationMethod"]]
    assert old_method in ids
    assert len(ids) == 2
    assert all(m["type"] == "Multikey" for m in doc["verificationMethod"])
    assert doc["assertionMethod"] == ids
    legacy = client.get("/.well-known/did.json").json()  # credentials from before council DIDs
    assert legacy["id"] == keystore.did_web()
    assert len(legacy["verificationMethod"]) == 2


def test_status_list_is_public_and_cacheable(client, council, issued):
    response = client.get(f"/credentials/status/{council.pk}/revocation")
    assert response.status_code == 200
    assert "max-age" in response["Cache-Control"]
    assert response.json()["credentialSubject"]["type"] == "BitstringStatusList"
    assert client.get(f"/credentials/status/{council.pk}/other").status_code == 404
    assert client.get("/credentials/status/99999/revocation").status_code == 404


@pytest.mark.parametrize("owner", ["council", "sandbox"])
@pytest.mark.parametrize("purpose", ["revocation", "suspension"])
def test_status_list_that_does_not_exist_is_not_created_by_a_public_get(
    client, council, owner, purpose
):
    """A public GET never writes: before anything is issued there is no list to publish, and
    no key or list is made (with a row lock) for whoever asks."""
    path = f"/credentials/status/{council.pk if owner == 'council' else 'sandbox'}/{purpose}"
    response = client.get(path)
    assert response.status_code == 404
    assert not StatusList.objects.exists()
    assert not IssuerKey.objects.exists()


def test_status_lists_are_published_when_the_first_credential_is_issued(council, issued):
    lists = StatusList.objects.filter(council=council)
    assert sorted(lists.values_list("purpose", flat=True)) == ["revocation", "suspension"]
    assert all(status.signed_credential for status in lists)


def test_lists_kept_unsigned_are_published_by_the_command(client, council, issued):
    StatusList.objects.update(signed_credential=None)  # as lists from before they were signed
    assert client.get(f"/credentials/status/{council.pk}/suspension").status_code == 404
    call_command("status_lists_sign", stdout=io.StringIO())
    response = client.get(f"/credentials/status/{council.pk}/suspension")
    assert response.status_code == 200
    assert response.json()["credentialSubject"]["statusPurpose"] == "suspension"


def test_migrate_publishes_lists_kept_unsigned(client, council, issued):
    """An upgraded deployment keeps answering for lists made before they were signed: the
    post-migrate step signs them (the public GET never does)."""
    from django.apps import apps

    from skillspassport.credentials.apps import sign_unsigned_status_lists

    StatusList.objects.update(signed_credential=None)
    sign_unsigned_status_lists(sender=apps.get_app_config("credentials"))
    response = client.get(f"/credentials/status/{council.pk}/revocation")
    assert response.status_code == 200
    assert response.json()["credentialSubject"]["statusPurpose"] == "revocation"


def test_public_documents_write_nothing(client, council, issued):
    """The DID documents and status lists are read-only: the same rows before and after."""
    paths = [
        "/.well-known/did.json",
        f"/councils/{council.pk}/did.json",
        f"/credentials/status/{council.pk}/revocation",
        f"/credentials/status/{council.pk}/suspension",
        "/verify/",
    ]
    before = (list(StatusList.objects.values()), list(IssuerKey.objects.values()))
    for path in paths:
        assert client.get(path).status_code == 200, path
    assert (list(StatusList.objects.values()), list(IssuerKey.objects.values())) == before


def test_vc_api_verify_shapes(client, issued):
    ok = api(client, VERIFY_API, {"verifiableCredential": issued.document, "options": {}})
    assert ok.status_code == 200
    assert ok.json()["verified"] is True
    assert ok.json()["errors"] == []
    assert "warnings" in ok.json()
    presentation = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "verifiableCredential": [issued.document],
    }
    vp = api(client, "/presentations/verify", {"verifiablePresentation": presentation})
    assert vp.status_code == 200
    assert vp.json()["credentialResults"][0]["verified"] is True


def _doc(issued, mutate):
    document = copy.deepcopy(issued.document)
    mutate(document)
    return {"verifiableCredential": document}


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (b"{not json", 400, "not valid JSON"),
        (b'{"verifiableCredential": {}, "verifiableCredential": {}}', 400, "repeats the key"),
        (b"[]", 400, "verifiableCredential"),
        (b'{"verifiableCredential": "text"}', 400, "must be a JSON object"),
        (b" " * 1_000_001, 413, "larger than 1 MB"),
    ],
)
def test_vc_api_rejects_unreadable_bodies(client, db, body, status, message):
    response = api(client, VERIFY_API, body)
    assert response.status_code == status
    assert response.json()["verified"] is False
    assert any(message in e for e in response.json()["errors"]), response.json()


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("proof"), "has no proof"),
        (lambda d: d["proof"].update(cryptosuite="bbs-2023"), "Unknown cryptosuite"),
        (lambda d: d["proof"].update(proofPurpose="authentication"), "proofPurpose"),
        (
            lambda d: d["@context"].append("https://evil.example/context.jsonld"),
            "not one this service accepts",
        ),
    ],
)
def test_vc_api_rejects_bad_credentials_with_reasons(client, issued, mutate, message):
    response = api(client, VERIFY_API, _doc(issued, mutate))
    assert response.status_code == 400
    assert any(message in e for e in response.json()["errors"]), response.json()


def test_vc_api_rejects_types_that_are_not_full_iris(client, issued):
    document = {
        "@context": [
            "https://www.w3.org/2018/credentials/v1",
            "https://w3id.org/security/data-integrity/v2",
        ],
        "type": ["VerifiableCredential", "LocalType"],
        "issuer": issued.document["issuer"]["id"],
        "issuanceDate": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:123"},
        "proof": issued.document["proof"],
    }
    response = api(client, VERIFY_API, {"verifiableCredential": document})
    assert response.status_code == 400
    assert "These types do not expand to full IRIs: LocalType." in response.json()["errors"]


def test_verification_over_the_api_opens_no_sockets(client, issued, monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("network access during verification")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert api(client, VERIFY_API, {"verifiableCredential": issued.document}).status_code == 200


def test_verify_api_is_rate_limited(client, issued, settings):
    settings.VERIFY_RATE_LIMIT = "3/m"
    from django.core.cache import cache

    cache.clear()
    codes = [
        api(client, VERIFY_API, {"verifiableCredential": issued.document}).status_code
        for _ in range(5)
    ]
    assert codes[:3] == [200, 200, 200]
    assert codes[3:] == [429, 429]
    cache.clear()


def test_printable_passport_carries_the_share_qr(client, adviser, bronze_resident, issued):
    token = share_link_create(user=adviser, credential=issued)
    client.force_login(adviser)
    page = client.get(reverse("people:passport", args=[bronze_resident.public_id])).content.decode()
    assert reverse("credentials:share-qr", args=[token]) in page
    assert "Scan to check this credential" in page


def test_vc_api_reports_undefined_terms(client, issued):
    document = copy.deepcopy(issued.document)
    document["favouriteColour"] = "teal"
    response = api(client, VERIFY_API, {"verifiableCredential": document})
    assert response.status_code == 400
    assert any("favouriteColour" in e for e in response.json()["errors"])


def test_vc_api_verifies_vcdm_1_1_credentials(client, db):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from skillspassport.credentials.vc import eddsa, keys

    key = Ed25519PrivateKey.generate()
    credential = {
        "@context": [
            "https://www.w3.org/2018/credentials/v1",
            "https://w3id.org/security/data-integrity/v2",
        ],
        "type": ["VerifiableCredential"],
        "issuer": keys.did_key(key.public_key()),
        "issuanceDate": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:123"},
    }
    signed = eddsa.sign(
        credential,
        key,
        verification_method=keys.did_key_verification_method(key.public_key()),
        created="2026-01-01T00:00:00Z",
    )
    response = api(client, VERIFY_API, {"verifiableCredential": signed, "options": {}})
    assert response.status_code == 200, response.json()


def test_resident_can_stop_sharing_with_the_link_on_their_passport(
    client, adviser, bronze_resident, issued
):
    token = share_link_create(user=adviser, credential=issued)
    issued.refresh_from_db()
    stop = reverse("credentials:stop-sharing", args=[issued.share_withdraw_token])
    share_page = client.get(reverse("credentials:share", args=[token])).content.decode()
    assert issued.share_withdraw_token not in share_page  # only the resident's printout has it
    client.force_login(adviser)
    printout = client.get(reverse("people:passport", args=[bronze_resident.public_id]))
    assert stop in printout.content.decode()
    client.logout()
    assert "Stop sharing" in client.get(stop).content.decode()
    done = client.post(stop)
    assert "Sharing stopped" in done.content.decode()
    assert client.get(reverse("credentials:share", args=[token])).status_code == 410
    event = AuditEvent.objects.filter(action=AuditAction.CREDENTIAL_UNSHARED).get()
    assert event.user is None
    assert "by the resident" in event.summary
    assert "no longer active" in client.post(stop).content.decode()  # twice: no error


def test_verify_page_names_the_issuer_only_from_this_services_registry(client, db):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from skillspassport.credentials.vc import eddsa, keys

    key = Ed25519PrivateKey.generate()
    did = keys.did_key(key.public_key())
    impostor = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": did, "type": ["Profile"], "name": "Sefton Council"},
        "validFrom": "2026-01-01T00:00:00Z",
        "name": "Digital: Gold",
        "credentialSubject": {"type": ["AchievementSubject"]},
    }
    signed = eddsa.sign(
        impostor,
        key,
        verification_method=keys.did_key_verification_method(key.public_key()),
        created="2026-01-01T00:00:00Z",
    )
    response = client.post(reverse("credentials:verify"), {"credential": json.dumps(signed)})
    body = response.content.decode()
    assert "Issuer not recognised" in body
    assert "Issued by" not in body


def test_presentation_api_checks_the_requested_challenge_and_domain(client, issued):
    from skillspassport.credentials.tests.test_presentations import holder_signed, presentation

    document = holder_signed(presentation(issued.document), challenge="A", domain="jobs.example")
    url = "/presentations/verify"
    right = api(client, url, {"verifiablePresentation": document, "options": {"challenge": "A"}})
    assert right.status_code == 200, right.json()
    assert right.json()["credentialResults"][0]["outcome"] == "valid"
    for options in ({"challenge": "B"}, {"challenge": "A", "domain": "other.example"}):
        wrong = api(client, url, {"verifiablePresentation": document, "options": options})
        assert wrong.status_code == 400
        assert wrong.json()["verified"] is False
    bad = api(client, url, {"verifiablePresentation": document, "options": {"challenge": 7}})
    assert bad.status_code == 400
    assert "options.challenge must be a string." in bad.json()["errors"]


def test_a_proof_set_may_repeat_a_proof_and_carry_a_witness(client, issued):
    """Data Integrity proof sets: every proof must verify; someone other than the issuer may add
    one, but the issuer's must be there (the W3C suite sends both cases)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from skillspassport.credentials.vc import eddsa, keys

    twice = copy.deepcopy(issued.document)
    twice["proof"] = [twice["proof"], twice["proof"]]
    assert api(client, VERIFY_API, {"verifiableCredential": twice}).json()["outcome"] == "valid"
    witness = Ed25519PrivateKey.generate()
    witnessed = eddsa.sign(
        issued.document,
        witness,
        verification_method=keys.did_key_verification_method(witness.public_key()),
        created="2026-11-02T00:00:00Z",
    )
    assert len(witnessed["proof"]) == 2
    result = api(client, VERIFY_API, {"verifiableCredential": witnessed}).json()
    assert result["outcome"] == "valid", result
    only_witness = {**witnessed, "proof": witnessed["proof"][1]}
    result = api(client, VERIFY_API, {"verifiableCredential": only_witness}).json()
    assert result["outcome"] == "issuer_mismatch"
