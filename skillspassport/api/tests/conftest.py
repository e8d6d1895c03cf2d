"""Fixtures for the partner API: clients of partner organisations, their tokens, and a JSON
client that sends them. Training and employer fixtures are the apps' own."""

from __future__ import annotations

import base64
import itertools
import json
from typing import Any

import pytest
from django.test import Client

from skillspassport.api import services
from skillspassport.credentials import services as client_services
from skillspassport.employers.tests.conftest import (  # noqa: F401 - fixtures
    contact,
    employer,
    make_resident,
    opportunity,
    other_contact,
    other_employer,
)
from skillspassport.training.tests.conftest import (  # noqa: F401 - fixtures
    cohort,
    course,
    learners,
    make_cohort,
    other_provider,
    other_tutor,
    provider,
    tutor,
)

NUMBERS = itertools.count(1)


class ApiClient:
    """A partner system: its OAuth client, and calls with its bearer token."""

    def __init__(self, organisation: Any, scopes: list[str], role: str | None = None) -> None:
        self.client, self.secret = client_services.api_client_create(
            council=organisation.scheme_council,
            name=f"{organisation.name} system {next(NUMBERS)}",
            allowed_awards=[],
            user=None,
        )
        self.access = services.partner_access_grant(
            client=self.client, organisation=organisation, scopes=scopes, role=role, user=None
        )
        self.account = self.access.account
        self.http = Client()
        self.token = self.new_token()

    def token_response(self, scope: str | None = None) -> Any:
        basic = base64.b64encode(
            f"{self.client.application.client_id}:{self.secret}".encode()
        ).decode()
        data = {"grant_type": "client_credentials"}
        if scope is not None:
            data["scope"] = scope
        return self.http.post("/o/token/", data, HTTP_AUTHORIZATION=f"Basic {basic}")

    def new_token(self, scope: str | None = None) -> str:
        response = self.token_response(scope)
        assert response.status_code == 200, response.content
        return str(response.json()["access_token"])

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        extra = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"}
        for name, value in (headers or {}).items():
            extra["HTTP_" + name.upper().replace("-", "_")] = value
        return extra

    def get(self, path: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
        return self.http.get(path, params, **self._headers(headers))

    def post(self, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
        return self.http.post(
            path, json.dumps(body, default=str), "application/json", **self._headers(headers)
        )


@pytest.fixture
def partner():
    """`partner(organisation, scopes, role=None)`: a partner system with a token."""
    return ApiClient


def resident_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "first_name": "Siobhan",
        "last_name": "O'Sullivan",
        "date_of_birth": "1990-05-04",
        "email": "siobhan@example.org",
        "postcode": "l20 1ad",
        "preferred_contact": "email",
        "consents": [
            {"purpose": "scheme", "lawful_basis": "public_task"},
            {"purpose": "share_providers", "lawful_basis": "consent"},
        ],
    }
    body.update(overrides)
    return body
