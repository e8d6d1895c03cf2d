"""Bearer tokens for the partner API: OAuth 2.0 client credentials from `/o/token/`, the same
API clients (django-oauth-toolkit applications) as the VC-API.

A client may ask for the partner scopes its `PartnerAccess` lists, and always for the VC-API's
"issue" (which the VC-API limits further by the client's allowed awards).
"""

from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_backends import OAuthLibCore
from oauth2_provider.scopes import SettingsScopes
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from skillspassport.accounts.models import User
from skillspassport.api import selectors
from skillspassport.api.models import PartnerAccess

REALM = 'Bearer realm="skills-passport"'
VC_API_SCOPES = ("issue",)


class PartnerScopes(SettingsScopes):
    """The scopes each application may be given: its partner access's, and "issue"."""

    def _of(self, application: Any) -> list[str]:
        scopes = list(VC_API_SCOPES)
        access = selectors.access_for_application(application=application) if application else None
        if access is not None:
            scopes += [s for s in access.scopes if s not in scopes]
        return scopes

    def get_available_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        return self._of(application)

    def get_default_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        return self._of(application)


class HeaderTokenCore(OAuthLibCore):
    """Tokens only from the Authorization header: the body is never read here, so a body the
    API cannot parse is answered by the parser (400 or 415), not while checking the token."""

    def extract_body(self, request: Any) -> list[tuple[str, str]]:
        return []


class PartnerTokenAuthentication(BaseAuthentication):
    """The client's account and its access token, from `Authorization: Bearer …`."""

    def authenticate(self, request: Request) -> tuple[User, Any] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        if not header.lower().startswith("bearer "):
            raise exceptions.AuthenticationFailed("Send an OAuth 2.0 bearer token.")
        valid, oauth_request = HeaderTokenCore().verify_request(request._request, scopes=[])
        if not valid:
            raise exceptions.AuthenticationFailed(
                "The bearer token is not valid or has expired: get a new one from /o/token/."
            )
        token = oauth_request.access_token
        access = selectors.access_for_application(application=token.application)
        if access is None:
            raise exceptions.AuthenticationFailed("This API client has no partner API access.")
        request.partner_access = access  # type: ignore[attr-defined]
        return access.account, token

    def authenticate_header(self, request: Request) -> str:
        return REALM


def partner_access(request: Request) -> PartnerAccess:
    access: PartnerAccess = request.partner_access  # type: ignore[attr-defined]
    return access


class HasScope(BasePermission):
    """The token carries the scope the view names (`required_scope`)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        scope = getattr(view, "required_scope", None)
        if request.auth is None or not hasattr(request, "partner_access"):
            raise exceptions.NotAuthenticated(
                "Send a bearer token: get one from /o/token/ with the client-credentials grant."
            )
        token: Any = request.auth
        if scope is None or token.allow_scopes([scope]):
            return True
        self.message = f"This token does not carry the scope {scope}."
        return False
