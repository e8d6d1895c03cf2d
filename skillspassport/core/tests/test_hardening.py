"""Deployment hardening: the health check, production settings, response headers."""

from __future__ import annotations

import os
import subprocess
import sys
from html.parser import HTMLParser
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError, connection

PRODUCTION_ENV = {
    "SECRET_KEY": "a-production-secret-key-for-this-test-only",
    "CREDENTIAL_KEY_SECRET": "a-key-encryption-secret-for-this-test-only",
    "DEBUG": "false",
    "SITE_URL": "https://passport.example.gov.uk",
}


def import_production(**overrides: str) -> subprocess.CompletedProcess[str]:
    """Import the production settings in a fresh interpreter with this environment."""
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env |= PRODUCTION_ENV | overrides
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run(
        [sys.executable, "-c", "import config.settings.production"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_starts_with_every_secret_and_an_https_site_url():
    result = import_production()
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("site_url", "message"),
    [
        ("http://127.0.0.1:8000", "SITE_URL must be set in production"),
        ("http://127.0.0.1:8000/", "SITE_URL must be set in production"),
        ("http://passport.example.gov.uk", "SITE_URL must be an https:// address"),
        ("passport.example.gov.uk", "SITE_URL must be an https:// address"),
        ("https://", "SITE_URL must be an https:// address"),
    ],
)
def test_production_refuses_the_default_or_a_plain_http_site_url(site_url, message):
    result = import_production(SITE_URL=site_url)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_refuses_to_start_without_site_url_set():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SITE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings.production"],
        cwd=settings.BASE_DIR,
        env={
            **{k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV},
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "SITE_URL must be set in production" in result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "CREDENTIAL_KEY_SECRET"])
def test_production_refuses_a_missing_secret(missing):
    result = import_production(**{missing: ""})
    assert result.returncode != 0
    assert f"{missing} must be set in production" in result.stderr


def test_every_setting_read_from_the_environment_is_used():
    """A secret or setting config/env.py reads must be used by the settings or the code."""
    from config import env

    names = [name for name, _default, _about in env.SETTINGS_DOC]
    sources = [
        path.read_text()
        for folder in ("config/settings", "skillspassport")
        for path in (settings.BASE_DIR / folder).rglob("*.py")
        if "tests" not in path.parts
    ]
    for name in names:
        if name == "DJANGO_SETTINGS_MODULE":
            continue
        assert any(f"E.{name}" in text for text in sources), f"{name} is read but never used"


def test_health_check_answers_ok_when_the_database_does(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_health_check_is_503_with_a_reason_when_the_database_cannot_be_reached(client, db):
    refused = OperationalError("connection refused")
    with mock.patch.object(connection, "ensure_connection", side_effect=refused):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/plain")
    assert response.content == b"database unavailable"
    assert client.get("/healthz").status_code == 200  # and recovers when it comes back


@pytest.fixture
def shared_token(council, adviser):
    """A share link to a Bronze digital credential of one of `council`'s residents."""
    from datetime import date

    from skillspassport.credentials.services import credential_issue, share_link_create
    from skillspassport.people.tests.factories import ResidentFactory
    from skillspassport.skills.models import Descriptor
    from skillspassport.skills.services import evidence_record

    resident = ResidentFactory(organisation=council, user=adviser, first_name="Kerry")
    evidence_record(
        user=adviser,
        resident=resident,
        descriptors=Descriptor.objects.filter(level__code="foundation"),
        method="observed_adviser",
        shown_on=date(2026, 10, 1),
    )
    issued = credential_issue(resident=resident, strand_code="digital", user=adviser)
    return share_link_create(user=adviser, credential=issued)


def test_every_response_turns_off_browser_features(client, adviser):
    responses = [
        client.get("/healthz"),
        client.get("/sign-in"),
        client.get("/residents/"),  # a redirect to sign in
        client.get("/static/build/app.css"),
        client.get("/no/such/page"),
    ]
    client.force_login(adviser)
    responses.append(client.get("/"))
    for response in responses:
        policy = response["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert f"{feature}=()" in policy
        assert "Content-Security-Policy" in response


def test_share_pages_are_never_cached_even_signed_out(client, shared_token):
    for suffix in ("", "credential.json", "qr.svg"):
        response = client.get(f"/c/{shared_token}/{suffix}")
        assert response.status_code == 200, suffix
        assert response.wsgi_request.user.is_anonymous
        assert response["Cache-Control"] == "no-store", suffix
    assert client.get("/verify/")["Cache-Control"] == "no-store"
    assert client.get(f"/stop-sharing/{shared_token}/")["Cache-Control"] == "no-store"


def test_signed_in_pages_are_never_cached(client, adviser):
    client.force_login(adviser)
    assert client.get("/residents/")["Cache-Control"] == "no-store"


class Scripts(HTMLParser):
    """Inline <script> blocks that would run (a CSP without 'unsafe-inline' blocks them)."""

    def __init__(self) -> None:
        super().__init__()
        self.inline: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and not a.get("src") and a.get("type") != "application/json":
            self.inline.append(a)


def test_admin_pages_render_under_their_own_content_security_policy(operator_client, council):
    from skillspassport.accounts.models import User

    client = operator_client
    operator = User.objects.get(email="operator@platform.test")
    for path in (
        "/admin/",
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
        f"/admin/accounts/user/{operator.pk}/change/",
        "/admin/accounts/organisation/",
        f"/admin/accounts/organisation/{council.pk}/change/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy, path
        assert "style-src 'self' 'unsafe-inline'" in policy, path
        assert "frame-ancestors 'none'" in policy, path
        scripts = Scripts()
        scripts.feed(response.content.decode())
        assert scripts.inline == [], f"{path} has inline scripts the policy would block"
    # The service's own pages keep the strict policy, inline styles included.
    assert "'unsafe-inline'" not in client.get("/")["Content-Security-Policy"]
