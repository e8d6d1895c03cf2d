"""Every error is an RFC 9457 problem: 401, 403, 404, 405, 415, 422, 429 and 500."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import timezone

from skillspassport.accounts.models import OrganisationKind
from skillspassport.credentials import services as client_services

PROBLEM = "application/problem+json"


def assert_problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    return body


@pytest.fixture
def lrs(partner, provider):
    return partner(provider, ["residents:read", "training"])


def test_no_token_is_401_with_a_bearer_challenge(client, db):
    response = client.get("/api/v1/residents")
    assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_session_is_not_a_token(client, adviser):
    client.force_login(adviser)
    assert_problem(client.get("/api/v1/residents"), 401)


def test_a_made_up_or_expired_token_is_401(lrs):
    lrs.token = "not-a-token"
    assert_problem(lrs.get("/api/v1/residents"), 401)
    lrs.token = lrs.new_token()
    from oauth2_provider.models import AccessToken

    AccessToken.objects.filter(token=lrs.token).update(expires=timezone.now())
    assert_problem(lrs.get("/api/v1/residents"), 401)


def test_a_revoked_client_or_deactivated_account_stops_at_once(lrs):
    assert lrs.get("/api/v1/cohorts").status_code == 200
    lrs.account.is_active = False
    lrs.account.save()
    assert_problem(lrs.get("/api/v1/cohorts"), 401)
    lrs.account.is_active = True
    lrs.account.save()
    client_services.api_client_revoke(client=lrs.client, user=None)
    assert_problem(lrs.get("/api/v1/cohorts"), 401)


def test_a_token_without_the_scope_is_403_and_scopes_not_granted_are_refused(lrs):
    body = assert_problem(lrs.post("/api/v1/residents", {}), 403)
    assert "residents:write" in body["detail"]
    # The client may not even ask for a scope its access does not list.
    assert lrs.token_response("residents:write").status_code == 400
    narrow = lrs.new_token("training")
    lrs.token = narrow
    assert_problem(lrs.get("/api/v1/residents"), 403)
    assert lrs.get("/api/v1/cohorts").status_code == 200


def test_unknown_addresses_and_records_are_404(lrs):
    assert_problem(lrs.get("/api/v1/nothing-here"), 404)
    assert_problem(lrs.get("/api/v1/residents/00000000-0000-0000-0000-000000000000"), 404)
    assert_problem(lrs.get("/api/v1/cohorts/999999999999999/enrolments"), 404)
    assert_problem(lrs.get("/api/v1/cohorts/9999999999999999999999/enrolments"), 404)


def test_wrong_method_is_405_and_a_form_body_is_415(lrs):
    assert_problem(
        lrs.http.delete("/api/v1/cohorts", HTTP_AUTHORIZATION=f"Bearer {lrs.token}"), 405
    )
    response = lrs.http.post(
        "/api/v1/cohorts/1/enrolments",
        "resident=x",
        content_type="application/x-www-form-urlencoded",
        HTTP_AUTHORIZATION=f"Bearer {lrs.token}",
    )
    assert_problem(response, 415)
    response = lrs.http.post(
        "/api/v1/cohorts/1/enrolments",
        '{"resident": "A"}',
        content_type="multipart/form-data",  # no boundary: cannot be parsed at all
        HTTP_AUTHORIZATION=f"Bearer {lrs.token}",
    )
    assert_problem(response, 415)


def test_malformed_json_is_400_and_bad_fields_are_422_naming_the_field(lrs, cohort):
    response = lrs.http.post(
        f"/api/v1/cohorts/{cohort.pk}/enrolments",
        "{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {lrs.token}",
    )
    assert_problem(response, 400)
    body = assert_problem(
        lrs.post(f"/api/v1/cohorts/{cohort.pk}/enrolments", {"resident": "five"}), 422
    )
    assert "resident" in body["errors"]
    body = assert_problem(lrs.get("/api/v1/cohorts", updated_since="yesterday"), 400)
    assert "updated_since" in body["errors"]


def test_too_many_requests_is_429_per_client(partner, provider, settings):
    settings.API_RATE_LIMIT = "3/min"
    cache.clear()
    one = partner(provider, ["training"])
    other = partner(provider, ["training"])
    for _ in range(3):
        assert one.get("/api/v1/cohorts").status_code == 200
    body = assert_problem(one.get("/api/v1/cohorts"), 429)
    assert "throttled" in body["detail"].lower() or "request" in body["detail"].lower()
    assert int(one.get("/api/v1/cohorts")["Retry-After"]) > 0
    # Another client has its own allowance.
    assert other.get("/api/v1/cohorts").status_code == 200
    cache.clear()


def test_a_server_error_is_a_problem_not_a_page(lrs, monkeypatch):
    from skillspassport.training import selectors

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "cohorts_for_user", broken)
    body = assert_problem(lrs.get("/api/v1/cohorts"), 500)
    assert "boom" not in body["detail"]


def test_partner_access_only_within_the_councils_scheme(other_council, provider):
    from skillspassport.api import services

    client, _secret = client_services.api_client_create(
        council=other_council, name="Elsewhere", allowed_awards=[], user=None
    )
    with pytest.raises(services.PartnerAccessError, match="scheme"):
        services.partner_access_grant(
            client=client, organisation=provider, scopes=["training"], user=None
        )
    assert provider.kind == OrganisationKind.PROVIDER
