"""The service's public address, as links given to people outside it are written."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def public_base_url(request: HttpRequest | None = None) -> str:
    """`SITE_URL`, or in local development with SITE_URL unset (`SITE_URL_FROM_REQUEST`), the
    address the request came to (scheme, host and port, the host checked against
    ALLOWED_HOSTS), so that links and QR codes open on whichever port the server runs.

    Production always has SITE_URL set (config/settings/production.py refuses to start
    without it), so there the request's host is never used."""
    if request is not None and getattr(settings, "SITE_URL_FROM_REQUEST", False):
        return request.build_absolute_uri("/").rstrip("/")
    return str(settings.SITE_URL)
