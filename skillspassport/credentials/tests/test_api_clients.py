"""Issuing through the VC-API: OAuth 2.0 client credentials, one council per client, an
allow-list of awards, every credential recorded and revocable, and the pages that manage it."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client
from django.urls import reverse

from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.credentials import keystore, services
from skillspassport.credentials.models import ApiClient, IssuedCredential

ISSUE = "/credentials/issue"
SANDBOX = "/sandbox/credentials/issue"


def post(client, url, body, **extra):
    return client.post(url, json.dumps(body), content_type="application/json", **extra)


def token_for(client_id, secret, http=None):
    http = http or Client()
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    response = http.post(
        "/o/token/",
        {"grant_type": "client_credentials", "scope": "issue"},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


@pytest.fixture
def partner(council, staff):
    client, secret = services.api_client_create(
        council=council,
        name="College records",
        allowed_awards=["digital:bronze"],
        sandbox=True,
        user=staff["administrator"],
    )
    return client, secret


@pytest.fixture
def bearer(partner):
    client, secret = partner
    return {"HTTP_AUTHORIZATION": f"Bearer {token_for(client.application.client_id, secret)}"}


def badge(achievement_id, issuer=None):
    credential = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "validFrom": "2026-11-01T00:00:00Z",
        "name": "Skills Passport Gold",  # the client's wording: replaced by the council's
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "id": "did:example:learner-1",
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "name": "Gold",
                "criteria": {"narrative": "Anything"},
            },
        },
    }
    if issuer is not None:
        credential["issuer"] = issuer
    return credential


def achievement(settings, strand, level):
    return f"{settings.SITE_URL}/framework/#achievement-{strand}-{level}"


PLAIN = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiableCredential"],
    "credentialSubject": {"id": "did:example:123"},
}


def test_unauthenticated_and_staff_sessions_get_a_json_401(client, adviser, council):
    response = post(client, ISSUE, {"credential": PLAIN})
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert "Bearer" in response["WWW-Authenticate"]
    staff = Client(enforce_csrf_checks=True)
    staff.force_login(adviser)
    assert post(staff, ISSUE, {"credential": PLAIN}).status_code == 401
    assert post(staff, SANDBOX, {"credential": PLAIN}).status_code == 401
    assert not IssuedCredential.objects.exists()


def test_client_issues_an_allowed_award_in_the_councils_words(client, bearer, council, settings):
    response = post(
        client, ISSUE, {"credential": badge(achievement(settings, "digital", "bronze"))}, **bearer
    )
    assert response.status_code == 201, response.json()
    signed = response.json()["verifiableCredential"]
    assert signed["issuer"] == keystore.council_did(council.pk) or signed["issuer"]["id"] == (
        keystore.council_did(council.pk)
    )
    assert signed["name"] == "Skills Passport Digital: Bronze"
    assert {e["statusPurpose"] for e in signed["credentialStatus"]} == {"revocation", "suspension"}
    row = IssuedCredential.objects.get()
    assert (row.api_client.name, row.council, row.resident) == ("College records", council, None)
    assert (row.strand_code, row.level) == ("digital", "bronze")
    assert AuditEvent.objects.filter(
        action=AuditAction.CREDENTIAL_ISSUED, organisation=council
    ).exists()
    verified = post(client, "/credentials/verify", {"verifiableCredential": signed}).json()
    assert verified["outcome"] == "valid"
    assert verified["issuer"]["name"] == "Sefton Council"


def test_client_cannot_issue_outside_its_allow_list_or_council(
    client, bearer, council, other_council, settings
):
    gold = post(
        client, ISSUE, {"credential": badge(achievement(settings, "overall", "gold"))}, **bearer
    )
    assert gold.status_code == 403
    assert "not on its allow-list" in gold.json()["errors"][0]
    as_other = badge(
        achievement(settings, "digital", "bronze"), issuer=keystore.council_did(other_council.pk)
    )
    refused = post(client, ISSUE, {"credential": as_other}, **bearer)
    assert refused.status_code in (400, 403, 422)
    plain = post(client, ISSUE, {"credential": PLAIN}, **bearer)
    assert plain.status_code == 403
    assert "OpenBadgeCredential" in plain.json()["errors"][0]
    assert not IssuedCredential.objects.exists()


def test_sandbox_signs_as_an_untrusted_did_key(client, bearer):
    response = post(client, SANDBOX, {"credential": PLAIN}, **bearer)
    assert response.status_code == 201, response.json()
    signed = response.json()["verifiableCredential"]
    assert signed["issuer"].startswith("did:key:") if isinstance(signed["issuer"], str) else True
    verified = post(client, "/credentials/verify", {"verifiableCredential": signed}).json()
    assert verified["verified"] is True
    assert verified["outcome"] == "untrusted_issuer"
    assert IssuedCredential.objects.get().council is None


def test_a_client_without_the_sandbox_cannot_use_it(client, council, staff):
    api_client, secret = services.api_client_create(
        council=council, name="No sandbox", allowed_awards=["digital:bronze"], user=None
    )
    token = token_for(api_client.application.client_id, secret)
    response = post(client, SANDBOX, {"credential": PLAIN}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 403


def test_rotating_and_revoking_a_client_stops_its_tokens(client, partner, settings):
    api_client, secret = partner
    token = token_for(api_client.application.client_id, secret)
    new_secret = services.api_client_rotate_secret(client=api_client, user=None)
    credential = {"credential": badge(achievement(settings, "digital", "bronze"))}
    assert post(client, ISSUE, credential, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    fresh = token_for(api_client.application.client_id, new_secret)
    assert post(client, ISSUE, credential, HTTP_AUTHORIZATION=f"Bearer {fresh}").status_code == 201
    services.api_client_revoke(client=api_client, user=None)
    assert post(client, ISSUE, credential, HTTP_AUTHORIZATION=f"Bearer {fresh}").status_code == 401
    basic = base64.b64encode(f"{api_client.application.client_id}:{new_secret}".encode()).decode()
    refused = client.post(
        "/o/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}"
    )
    assert refused.status_code in (400, 401)


def test_bad_bodies_get_json_errors(client, bearer):
    for body, status in (
        (b"{nope", 400),
        (b'{"credential": 1}', 400),
        (json.dumps({"credential": {**PLAIN, "proof": {}}}).encode(), 422),
        (json.dumps({"credential": {**PLAIN, "credentialSubject": {}}}).encode(), 422),
    ):
        response = client.post(SANDBOX, body, content_type="application/json", **bearer)
        assert response.status_code == status, (body, response.content)
        assert response.json()["errors"]


def test_administrator_manages_clients_and_revokes_what_they_issued(
    client, staff, council, bearer, settings
):
    post(client, ISSUE, {"credential": badge(achievement(settings, "digital", "bronze"))}, **bearer)
    issued = IssuedCredential.objects.get()
    admin = Client()
    admin.force_login(staff["administrator"])
    overview = admin.get(reverse("credentials:registry")).content.decode()
    assert "College records" in overview
    assert "Skills Passport Digital: Bronze" in overview
    created = admin.post(
        reverse("credentials:client-create"),
        {"name": "Jobcentre system", "awards": ["overall:bronze"], "sandbox": "no"},
    )
    page = created.content.decode()
    assert created.status_code == 200
    assert "shown only once" in page
    new = ApiClient.objects.get(name="Jobcentre system")
    assert new.allowed_awards == ["overall:bronze"]
    assert new.application.client_id in page
    assert created["Cache-Control"] == "no-store"
    withdraw = reverse("credentials:issued-withdraw", args=[issued.public_id])
    admin.post(withdraw, {"action": "revoke", "reason": "Issued in error"})
    issued.refresh_from_db()
    assert issued.state == "revoked"
    result = post(client, "/credentials/verify", {"verifiableCredential": issued.document}).json()
    assert result["outcome"] == "revoked"


def test_only_council_administrators_reach_the_pages(client, staff, other_staff, partner):
    api_client, _secret = partner
    for role in ("adviser", "viewer", "analyst", "tutor"):
        client.force_login(staff[role])
        assert client.get(reverse("credentials:registry")).status_code == 403
    client.force_login(other_staff["administrator"])
    assert "College records" not in client.get(reverse("credentials:registry")).content.decode()
    url = reverse("credentials:client-change", args=[api_client.pk, "revoke"])
    assert client.post(url).status_code == 404
    api_client.refresh_from_db()
    assert api_client.active


def test_client_form_bad_input(client, staff):
    client.force_login(staff["administrator"])
    url = reverse("credentials:client-create")
    empty = client.post(url, {"name": "", "sandbox": "no"}).content.decode()
    assert "Enter a name for the client" in empty
    assert "Choose at least one award" in empty
    hostile = client.post(url, {"name": "x", "awards": ["overall:platinum"], "sandbox": "no"})
    assert "Select a valid choice" in hostile.content.decode()
    assert not ApiClient.objects.exists()


def test_api_client_create_command(council, capsys):
    from django.core.management import call_command

    call_command(
        "api_client_create",
        council="Sefton Council",
        name="suites",
        sandbox=True,
        all_awards=True,
        json=True,
    )
    result = json.loads(capsys.readouterr().out)
    assert result["sandbox_issuer"].startswith("did:key:")
    assert result["council_issuer"] == keystore.council_did(council.pk)
    assert token_for(result["client_id"], result["client_secret"])


def test_sandbox_keeps_a_clients_status_entry_and_adds_its_own(client, bearer):
    theirs = {
        "id": "https://status.example/list#7",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "7",
        "statusListCredential": "https://status.example/list",
    }
    response = post(
        client, SANDBOX, {"credential": {**PLAIN, "credentialStatus": theirs}}, **bearer
    )
    assert response.status_code == 201, response.json()
    entries = response.json()["verifiableCredential"]["credentialStatus"]
    assert entries[0] == theirs
    assert len(entries) == 3
    untyped = {k: v for k, v in theirs.items() if k != "type"}
    refused = post(
        client, SANDBOX, {"credential": {**PLAIN, "credentialStatus": untyped}}, **bearer
    )
    assert refused.status_code == 422


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_a_vcdm_1_1_credential_gets_status_it_can_carry(client, bearer, suite):
    v1 = {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "type": ["VerifiableCredential"],
        "issuanceDate": "2026-11-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:123"},
    }
    response = post(client, f"{SANDBOX}?cryptosuite={suite}", {"credential": v1}, **bearer)
    assert response.status_code == 201, response.json()
    signed = response.json()["verifiableCredential"]
    assert all(isinstance(c, str | dict) for c in signed["@context"])
    assert signed["proof"]["cryptosuite"] == suite
    verified = post(client, "/credentials/verify", {"verifiableCredential": signed}).json()
    assert verified["verified"] is True, verified
    assert any("not on the issuer's revocation list" in c for c in verified["checks"])


def test_oauth_applications_are_not_editable_in_the_django_admin():
    from django.contrib import admin
    from oauth2_provider.models import AccessToken, Application

    assert not admin.site.is_registered(Application)
    assert not admin.site.is_registered(AccessToken)
