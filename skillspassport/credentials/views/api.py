"""The W3C VC-API: verify credentials and presentations (public), issue (API clients only).

Issuing needs an OAuth 2.0 bearer token from the client-credentials grant (`/o/token/`): a
browser session cannot sign anything here, and an unauthenticated call gets a JSON 401, not a
sign-in page or a CSRF error. Every failure is JSON with the reasons.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit
from oauth2_provider.oauth2_backends import get_oauthlib_core

from skillspassport.credentials import selectors, services
from skillspassport.credentials.models import ApiClient
from skillspassport.credentials.vc import eddsa
from skillspassport.credentials.vc.canon import TooComplexError
from skillspassport.credentials.vc.jsonparse import TooComplexError as JsonTooComplexError
from skillspassport.credentials.vc.verifier import InputError, Verification, parse_json
from skillspassport.credentials.views.public import verify_rate


def _error(status: int, *errors: str, **extra: Any) -> JsonResponse:
    payload = {"verified": False, "errors": list(errors), "warnings": []} | extra
    return JsonResponse(payload, status=status)


def _body(request: HttpRequest, key: str) -> tuple[dict[str, Any] | None, JsonResponse | None]:
    """The JSON body and its `key` object, or the error response to send."""
    try:
        body = parse_json(request.body)
    except JsonTooComplexError as exc:
        return None, _error(413 if "larger than" in str(exc) else 422, str(exc))
    except InputError as exc:
        return None, _error(400, str(exc))
    if not isinstance(body, dict) or key not in body:
        return None, _error(400, f'Send {{"{key}": {{...}}, "options": {{...}}}}.')
    options = body.get("options", {})
    if not isinstance(options, dict):
        return None, _error(400, "options must be a JSON object.")
    return body, None


def verification_json(result: Verification) -> dict[str, Any]:
    return {
        "verified": result.verified,
        "outcome": result.outcome.value,
        "issuer": {
            "id": result.issuer_id,
            "recognised": result.trusted,
            "name": result.issuer_name,
        },
        "errors": result.errors,
        "warnings": result.warnings,
        "checks": result.checks,
    }


@csrf_exempt
@ratelimit(key="ip", rate=verify_rate, block=True)
@require_POST
def verify_credential(request: HttpRequest) -> JsonResponse:
    body, error = _body(request, "verifiableCredential")
    if error is not None:
        return error
    assert body is not None
    try:
        result = selectors.credential_verify(body["verifiableCredential"])
    except TooComplexError as exc:
        return _error(422, str(exc))
    return JsonResponse(verification_json(result), status=200 if result.verified else 400)


@csrf_exempt
@ratelimit(key="ip", rate=verify_rate, block=True)
@require_POST
def verify_presentation(request: HttpRequest) -> JsonResponse:
    body, error = _body(request, "verifiablePresentation")
    if error is not None:
        return error
    assert body is not None
    options = body.get("options", {})
    challenge, domain = options.get("challenge"), options.get("domain")
    if challenge is not None and not isinstance(challenge, str):
        return _error(400, "options.challenge must be a string.")
    if domain is not None and not isinstance(domain, str | list):
        return _error(400, "options.domain must be a string or a list of strings.")
    try:
        result, each = selectors.presentation_verify(
            body["verifiablePresentation"], challenge=challenge, domain=domain
        )
    except TooComplexError as exc:
        return _error(422, str(exc))
    payload = verification_json(result) | {
        "credentialResults": [verification_json(r) for r in each]
    }
    return JsonResponse(payload, status=200 if result.verified else 400)


def _client(request: HttpRequest) -> ApiClient | None:
    """The API client whose bearer token came with the request, if it is valid and active."""
    valid, oauth_request = get_oauthlib_core().verify_request(request, scopes=["issue"])
    if not valid:
        return None
    return selectors.api_client_for_application(application=oauth_request.access_token.application)


def _issue(request: HttpRequest, *, sandbox: bool) -> JsonResponse:
    client = _client(request)
    if client is None:
        response = _error(
            401,
            "Issuing needs an OAuth 2.0 bearer token for an API client: get one from /o/token/ "
            "with the client-credentials grant.",
        )
        response["WWW-Authenticate"] = 'Bearer realm="skills-passport", scope="issue"'
        return response
    body, error = _body(request, "credential")
    if error is not None:
        return error
    assert body is not None
    if not isinstance(body["credential"], dict):
        return _error(400, "credential must be a JSON object.")
    cryptosuite = request.GET.get("cryptosuite", eddsa.CRYPTOSUITE)
    try:
        issued = services.credential_issue_for_client(
            client=client,
            credential=body["credential"],
            sandbox=sandbox,
            cryptosuite=cryptosuite,
            request=request,
        )
    except services.CredentialPermissionError as exc:
        return _error(403, str(exc))
    except services.CredentialError as exc:
        return _error(422, str(exc))
    except TooComplexError as exc:
        return _error(422, str(exc))
    return JsonResponse({"verifiableCredential": issued.document}, status=201)


@csrf_exempt
@ratelimit(key="ip", rate=verify_rate, block=True)
@require_POST
def issue_credential(request: HttpRequest) -> JsonResponse:
    """Sign as the client's council: its own awards, on the client's allow-list."""
    return _issue(request, sandbox=False)


@csrf_exempt
@ratelimit(key="ip", rate=verify_rate, block=True)
@require_POST
def issue_sandbox_credential(request: HttpRequest) -> JsonResponse:
    """Sign with the sandbox did:key (trusted by no registry), for clients allowed the sandbox."""
    return _issue(request, sandbox=True)
