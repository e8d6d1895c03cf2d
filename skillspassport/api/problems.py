"""RFC 9457 problem details (application/problem+json) for every error the API gives."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)

PROBLEM_TYPE = "application/problem+json"
TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    413: "Request too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
    500: "Server error",
}


class Problem(exceptions.APIException):
    """An error with a status, a title and a detail; `errors` lists field messages."""

    def __init__(
        self,
        status_code: int,
        detail: str,
        *,
        errors: dict[str, list[str]] | None = None,
        duplicates: list[dict[str, Any]] | None = None,
    ) -> None:
        self.status_code = status_code
        self.errors = errors
        self.duplicates = duplicates
        super().__init__(detail)


def problem_body(
    status_code: int, detail: str, *, instance: str = "", errors: Any = None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    return body


def _messages(detail: Any) -> list[str]:
    """Every message in a (nested) DRF error detail, as plain sentences."""
    if isinstance(detail, dict):
        return [
            message if key == "non_field_errors" else f"{key}: {message}"
            for key, value in detail.items()
            for message in _messages(value)
        ]
    if isinstance(detail, list):
        return [message for item in detail for message in _messages(item)]
    return [str(detail)]


def _flatten(detail: Any) -> tuple[str, dict[str, list[str]] | None]:
    """DRF's error detail as one sentence and, for validation errors, messages by field."""
    if isinstance(detail, dict):
        if list(detail) == ["detail"]:
            return str(detail["detail"]), None
        errors = {str(field): _messages(value) for field, value in detail.items()}
        field, messages = next(iter(errors.items()))
        first = messages[0] if messages else "The request is not valid."
        return (first if field == "non_field_errors" else f"{field}: {first}"), errors
    messages = _messages(detail)
    return (messages[0] if messages else "The request is not valid."), None


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """Every error as a problem: DRF's own, Http404 and PermissionDenied, and anything else
    (500, logged) so that no HTML page ever answers an API call."""
    request = context.get("request")
    instance = request.path if request is not None else ""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("No such record, or it is not one this client may see.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied("This client may not do that.")
    response = drf_exception_handler(exc, context)
    if isinstance(exc, exceptions.ValidationError) and response is not None:
        # Well-formed JSON whose fields are not valid (types, lengths, choices, NUL characters):
        # 422. A body or query string that cannot be read at all stays 400.
        response.status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    if response is None:
        logger.exception("Partner API error", exc_info=exc)
        response = Response(status=status.HTTP_500_INTERNAL_SERVER_ERROR)
        detail, errors = "Something went wrong on our side. Try again later.", None
    elif isinstance(exc, Problem):
        detail, errors = str(exc.detail), exc.errors
    else:
        detail, errors = _flatten(response.data)
    response.data = problem_body(response.status_code, detail, instance=instance, errors=errors)
    if isinstance(exc, Problem) and exc.duplicates:
        response.data["duplicates"] = exc.duplicates
    response.content_type = PROBLEM_TYPE
    return response


def problem_response(request: HttpRequest, status_code: int, detail: str) -> JsonResponse:
    """A problem for requests no API view answers (an unknown address under /api/v1/)."""
    return JsonResponse(
        problem_body(status_code, detail, instance=request.path),
        status=status_code,
        content_type=PROBLEM_TYPE,
    )


@csrf_exempt  # no session is ever used here: a POST to a wrong address is 404, not a CSRF page
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    return problem_response(request, 404, "There is nothing at this address in the API.")
