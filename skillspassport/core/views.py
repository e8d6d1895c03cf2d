from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)


def healthz(request: HttpRequest) -> HttpResponse:
    """ "ok" when the database answers a trivial query; 503 and the reason when it does not,
    so a load balancer stops sending requests to an app server that cannot reach it."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("health check: the database did not answer: %r", exc)
        return HttpResponse(
            "database unavailable", content_type="text/plain; charset=utf-8", status=503
        )
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "core/csrf_failure.html", status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "core/500.html", status=500)


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Too many requests from one address (django-ratelimit): JSON for the API, a page otherwise."""
    if request.content_type == "application/json" or request.path.startswith(
        ("/credentials/", "/presentations/")
    ):
        return JsonResponse(
            {"verified": False, "errors": ["Too many requests: try again in a minute."]},
            status=429,
        )
    return render(request, "core/429.html", status=429)
