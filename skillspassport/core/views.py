from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from skillspassport.core import selectors


def dashboard(request: HttpRequest) -> HttpResponse:
    context = selectors.dashboard_for_user(user=request.user)  # type: ignore[arg-type]
    return render(request, "core/dashboard.html", context)


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


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
