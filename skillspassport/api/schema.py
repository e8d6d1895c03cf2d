"""The OpenAPI description: the OAuth 2.0 client-credentials scheme with each operation's
scope, and the problem details every operation may answer with."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from skillspassport.api.scopes import SCOPES

PROBLEM = {"$ref": "#/components/schemas/Problem"}
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "object",
            "description": "Messages by field, for a request that is not valid.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
        "duplicates": {
            "type": "array",
            "description": "Residents this may be (409 on registration).",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "string", "format": "uuid"},
                    "reasons": {"type": "array", "items": {"type": "string"}},
                },
                "required": ["id", "reasons"],
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}
ERRORS = {
    "400": "The body is not JSON, or a query parameter cannot be read.",
    "401": "No bearer token, or one that is not valid or has expired.",
    "403": "The token lacks the scope, or the client may not do this.",
    "404": "No such record, or not one this client may see.",
    "405": "This method is not allowed here.",
    "406": "The API answers only in JSON.",
    "429": "Too many requests from this client: wait for Retry-After seconds.",
    "500": "Something went wrong on our side.",
}
BODY_ERRORS = {
    "409": "Possible duplicate residents (registration), or a conflicting request.",
    "413": "The request body is too large.",
    "415": "Send the body as application/json.",
    "422": "A field is not valid (see errors), the rules refuse the request, or the "
    "Idempotency-Key was used for another body.",
}


class PartnerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "skillspassport.api.oauth.PartnerTokenAuthentication"
    name = "partnerOAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "oauth2",
            "description": "OAuth 2.0 client credentials: POST /o/token/ with the client id "
            "and secret a council administrator gave you.",
            "flows": {"clientCredentials": {"tokenUrl": "/o/token/", "scopes": SCOPES}},
        }

    def get_security_requirement(self, auto_schema: Any) -> dict[str, list[str]]:
        view = auto_schema.view
        scope = view.required_scope
        if auto_schema.method == "POST":
            scope = {"residents:read": "residents:write"}.get(scope, scope)
        elif scope in ("residents:write", "evidence:write"):
            scope = "residents:read"
        return {self.name: [scope] if scope else []}


def add_problems(result: dict[str, Any], generator: Any, request: Any, public: bool) -> Any:
    """Every operation answers errors as application/problem+json."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/v1/") or path == "/api/v1/schema":
            continue
        for method, operation in operations.items():
            codes = dict(ERRORS)
            if method in ("post", "put", "patch"):
                codes |= BODY_ERRORS
            responses = operation.setdefault("responses", {})
            for code, description in codes.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/problem+json": {"schema": PROBLEM}},
                    },
                )
            if "Retry-After" not in str(responses["429"]):
                responses["429"]["headers"] = {
                    "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds."}
                }
    return result
