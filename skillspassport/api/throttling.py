"""Rate limits per API client, counted in the shared Django cache (so across app servers)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle


class PartnerClientThrottle(SimpleRateThrottle):
    """API_RATE_LIMIT requests per client; before a token is checked, per address."""

    scope = "partner"

    def get_rate(self) -> str:
        return str(settings.API_RATE_LIMIT)

    def get_cache_key(self, request: Request, view: Any) -> str:
        access = getattr(request, "partner_access", None)
        ident = f"client-{access.pk}" if access is not None else f"ip-{self.get_ident(request)}"
        return f"api-throttle-{ident}"
