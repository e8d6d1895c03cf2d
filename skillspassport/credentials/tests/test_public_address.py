"""Share links and their QR codes use the service's public address: SITE_URL, or in local
development with SITE_URL unset, the address the server was reached on."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
import segno
from django.conf import settings
from django.urls import reverse

from skillspassport.credentials.services import credential_issue, share_link_create


@pytest.fixture
def token(bronze_resident, adviser):
    issued = credential_issue(resident=bronze_resident, strand_code="digital", user=adviser)
    return share_link_create(user=adviser, credential=issued)


def qr_of(url: str) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m").save(
        out, kind="svg", scale=4, dark="#0b0c0c", xmldecl=False, svgns=True
    )
    return out.getvalue()


def test_links_follow_the_local_server_when_site_url_is_unset(client, settings, token):
    settings.SITE_URL_FROM_REQUEST = True
    settings.ALLOWED_HOSTS = ["localhost"]
    expected = f"http://localhost:8123/c/{token}/"
    page = client.get(reverse("credentials:share", args=[token]), HTTP_HOST="localhost:8123")
    assert expected in page.content.decode()
    assert "127.0.0.1:8000" not in page.content.decode()
    qr = client.get(reverse("credentials:share-qr", args=[token]), HTTP_HOST="localhost:8123")
    assert qr.content == qr_of(expected)


def test_the_printed_passport_gives_links_on_the_local_server(
    client, settings, adviser, bronze_resident, token
):
    settings.SITE_URL_FROM_REQUEST = True
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    client.force_login(adviser)
    page = client.get(
        reverse("people:passport", args=[bronze_resident.public_id]), HTTP_HOST="127.0.0.1:8765"
    ).content.decode()
    assert f"http://127.0.0.1:8765/c/{token}/" in page
    assert "127.0.0.1:8000" not in page


def test_links_use_site_url_when_it_is_set_whatever_the_host(client, settings, token):
    settings.SITE_URL_FROM_REQUEST = False
    settings.SITE_URL = "https://passport.example.gov.uk"
    settings.ALLOWED_HOSTS = ["localhost"]
    page = client.get(reverse("credentials:share", args=[token]), HTTP_HOST="localhost:8123")
    expected = f"https://passport.example.gov.uk/c/{token}/"
    assert expected in page.content.decode()
    qr = client.get(reverse("credentials:share-qr", args=[token]), HTTP_HOST="localhost:8123")
    assert qr.content == qr_of(expected)


def _setting(module: str, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k not in ("SITE_URL",)}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    environment |= env
    done = subprocess.run(  # noqa: S603 - our own settings module, by name
        [sys.executable, "-c", f"import {module} as s; print(s.SITE_URL_FROM_REQUEST)"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


def test_local_settings_follow_the_request_only_while_site_url_is_unset():
    assert _setting("config.settings.local") == "True"
    assert _setting("config.settings.local", SITE_URL="http://192.168.1.5:9000") == "False"
    production = {
        "SECRET_KEY": "a-production-secret-key-for-this-test-only",
        "CREDENTIAL_KEY_SECRET": "a-key-encryption-secret-for-this-test-only",
        "DEBUG": "false",
        "SITE_URL": "https://passport.example.gov.uk",
    }
    assert _setting("config.settings.production", **production) == "False"
