"""Request-wide policies: every page needs a signed-in user unless it says otherwise; sessions
have an absolute lifetime; one answer to "what is the client's address"."""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve

SIGNED_IN_AT = "signed_in_at"


def client_ip(request: HttpRequest) -> str | None:
    """The address of the client that sent `request`: the one function the audit log,
    django-axes (AXES_CLIENT_IP_CALLABLE) and django-ratelimit (RATELIMIT_IP_META_KEY) use.

    With no trusted proxy (TRUSTED_PROXY_COUNT = 0, the default) it is REMOTE_ADDR and any
    X-Forwarded-For header is ignored, since anyone can send one. Behind N trusted proxies each
    appends the address it saw, so the client is the Nth entry from the right; entries further
    left were written by the client and are never believed. If the header is missing, short or
    malformed, the connection's own address is used.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


# Paths open to anyone. Everything else needs a signed-in, active user.
PUBLIC_PREFIXES = (
    "/sign-in",
    "/static/",
    "/admin/login",
    "/healthz",
    "/accessibility",
    # Verifiable credentials: anyone may verify; the issue endpoint answers 401 itself.
    "/.well-known/did.json",
    "/councils/",
    "/credentials/",
    "/sandbox/credentials/",
    "/o/token/",
    "/presentations/verify",
    # The partner API answers 401 itself (bearer tokens, never a sign-in page).
    "/api/",
    "/verify",
    "/c/",
    "/stop-sharing/",
)

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# The Django admin's own pages: the same, except that its widgets and those of admin add-ons
# set inline styles, so styles (never scripts) may be inline there.
ADMIN_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self' 'unsafe-inline'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# No page of the service uses any of these browser features, so none may be used at all —
# not even by the page itself or anything injected into it.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)
# Pages anyone with the link may open that show a resident's passport: never kept in a
# browser's or a shared proxy's cache, signed in or not.
NO_STORE_PREFIXES = ("/c/", "/stop-sharing/", "/verify", "/api/")


class AbsoluteSessionLifetimeMiddleware:
    """End a signed-in session SESSION_ABSOLUTE_HOURS after it began, however active it is.

    Sessions also slide (SESSION_COOKIE_AGE from the last request); this caps the total. The
    sign-in time is stamped at sign-in (staff.views.SignInView), or on the first request of
    a session that has none (e.g. one begun at the admin's sign-in)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.get(SIGNED_IN_AT)
            if not isinstance(started, int | float):
                request.session[SIGNED_IN_AT] = now
            elif now - started > settings.SESSION_ABSOLUTE_HOURS * 3600:
                logout(request)
                messages.info(
                    request,
                    "You were signed out because you signed in more than "
                    f"{settings.SESSION_ABSOLUTE_HOURS} hours ago. Sign in again to carry on.",
                    fail_silently=True,
                )
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)


class LoginRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(PUBLIC_PREFIXES) and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy (no inline script or style; inline style only in the
    Django admin), no browser features, and no caching of pages that show personal data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        admin = request.path.startswith("/admin/")
        response.headers.setdefault(
            "Content-Security-Policy",
            ADMIN_CONTENT_SECURITY_POLICY if admin else CONTENT_SECURITY_POLICY,
        )
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if request.path.startswith(NO_STORE_PREFIXES):
            response.headers["Cache-Control"] = "no-store"
        elif _signed_in(request) and not request.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def _signed_in(request: HttpRequest) -> bool:
    """Whether the request is a signed-in user's (False if it never reached authentication)."""
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


# Where a credential is sent in a request body: these take at most a 1 MB credential.
CREDENTIAL_PATHS = (
    "/credentials/",
    "/presentations/",
    "/sandbox/credentials/",
    "/verify",
)
API_PATHS = ("/credentials/", "/presentations/", "/sandbox/credentials/", "/o/")


OversizedHandler = Callable[[HttpRequest, int], HttpResponse]
OVERSIZED_ATTRIBUTE = "answers_oversized_request"


def answers_oversized_requests(
    handler: OversizedHandler,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Let a page answer a request over the size limit itself (e.g. its form with an error),
    instead of the plain "too large" page. `handler(request, limit)` must not read the body:
    the middleware calls it before anything has."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        setattr(view, OVERSIZED_ATTRIBUTE, handler)
        return view

    return decorate


class RequestSizeLimitMiddleware:
    """Refuse an oversized request from its Content-Length, before any of the body is read.

    Django would otherwise stream a large upload to a temporary file before a form could say
    it was too big. A body without a Content-Length is read as empty by Django's WSGI handler,
    so a chunked upload cannot get round this.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        credential = request.path.startswith(CREDENTIAL_PATHS)
        limit = settings.MAX_CREDENTIAL_REQUEST_BYTES if credential else settings.MAX_REQUEST_BYTES
        if length > limit:
            return self._too_large(request, limit)
        return self.get_response(request)

    @staticmethod
    def _too_large(request: HttpRequest, limit: int) -> HttpResponse:
        megabytes = f"{limit / 1_000_000:.0f} MB" if limit < 2_000_000 else f"{limit >> 20} MB"
        message = f"The request is larger than {megabytes}, the most this service accepts here."
        if request.path.startswith(PROBLEM_PATHS):
            return problem(request, 413, "Request too large", message)
        if request.path.startswith(API_PATHS):
            return JsonResponse(
                {"verified": False, "errors": [message], "warnings": []}, status=413
            )
        handler = _oversized_handler(request)
        if handler is not None:
            return handler(request, limit)
        return render(request, "core/413.html", {"message": message}, status=413)


def _oversized_handler(request: HttpRequest) -> OversizedHandler | None:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    handler: OversizedHandler | None = getattr(match.func, OVERSIZED_ATTRIBUTE, None)
    return handler


# The partner API answers every error as an RFC 9457 problem (application/problem+json).
PROBLEM_PATHS = ("/api/",)


def problem(request: HttpRequest, status: int, title: str, detail: str) -> JsonResponse:
    body = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    return JsonResponse(body, status=status, content_type="application/problem+json")


NUL_MESSAGE = (
    "Something you typed or pasted contains an invisible control character (a NUL byte) that "
    "this service cannot store. Go back, type it again and resubmit."
)
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class NulCharacterMiddleware:
    """Refuse a NUL character in the address, query string or a form field, with a message.

    PostgreSQL cannot store NUL in text and the database driver raises on one even in a
    search, so a pasted NUL in a search box, a filter or a share link was a server error.
    Ordinary typing never produces one; a page saying so is better than a half-cleaned value.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._has_nul(request):
            if request.path.startswith(PROBLEM_PATHS):
                return problem(request, 400, "Bad request", NUL_MESSAGE)
            if request.path.startswith(API_PATHS):
                return JsonResponse(
                    {"verified": False, "errors": [NUL_MESSAGE], "warnings": []}, status=400
                )
            return render(request, "core/400.html", {"message": NUL_MESSAGE}, status=400)
        return self.get_response(request)

    @staticmethod
    def _has_nul(request: HttpRequest) -> bool:
        if "\x00" in request.path_info:
            return True
        data = [request.GET]
        # The partner API reads JSON only (a form body is refused there as 415).
        if (
            request.method == "POST"
            and request.content_type in FORM_CONTENT_TYPES
            and not request.path.startswith(PROBLEM_PATHS)
        ):
            data.append(request.POST)
        return any(
            "\x00" in key or any("\x00" in value for value in values)
            for query in data
            for key, values in query.lists()
        )
