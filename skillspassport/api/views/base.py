"""What every partner API view shares: bearer tokens, scopes, rate limits, problems,
`updated_since`, idempotent creates and the audit of personal data read."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from datetime import datetime, time
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from skillspassport.accounts.models import User
from skillspassport.api import selectors, services
from skillspassport.api.models import IdempotentRequest
from skillspassport.api.oauth import HasScope, PartnerTokenAuthentication, partner_access
from skillspassport.api.pagination import Pages
from skillspassport.api.problems import Problem
from skillspassport.api.throttling import PartnerClientThrottle
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_shown
from skillspassport.people.models import Resident

IDEMPOTENCY_HEADER = "Idempotency-Key"
KEY_PATTERN = re.compile(r"[!-~]{1,255}")

UPDATED_SINCE = OpenApiParameter(
    "updated_since",
    OpenApiTypes.DATETIME,
    description="Only records created or changed at or after this time (ISO 8601; a date "
    "alone means its midnight, UK time).",
)
IDEMPOTENCY_KEY = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
    location=OpenApiParameter.HEADER,
    description="Any unique string of up to 255 printable ASCII characters (no spaces). "
    "Sending the same key with the same body again returns the first answer and changes "
    "nothing; with a different body, 422.",
)


class PartnerView(GenericAPIView):
    authentication_classes = [PartnerTokenAuthentication]
    permission_classes = [HasScope]
    throttle_classes = [PartnerClientThrottle]
    pagination_class = Pages
    required_scope: str = ""

    @property
    def account(self) -> User:
        user: User = self.request.user  # type: ignore[assignment]
        return user

    def updated_since(self) -> datetime | None:
        value = self.request.query_params.get("updated_since")
        if value is None:
            return None
        value = value.strip()
        moment = _parse_moment(value)
        if moment is None:
            raise Problem(
                400,
                "updated_since must be an ISO 8601 date or time, like 2026-01-31T09:00:00Z.",
                errors={"updated_since": ["Enter an ISO 8601 date or time."]},
            )
        return moment

    def page_of(self, items: Any, render: Callable[[list[Any]], Any]) -> Response:
        page = self.paginate_queryset(items)
        assert page is not None  # pagination_class is always set
        return self.get_paginated_response(render(list(page)))

    def shown(self, residents: Iterable[Resident | None], summary: str, *, listed: bool) -> None:
        """Audit that this call showed these residents, as a page would."""
        audit_shown(
            user=self.account,
            residents=residents,
            action=AuditAction.LISTED if listed else AuditAction.VIEWED,
            request=self.request,
            summary=f"Partner API ({partner_access(self.request).api_client.name}): {summary}",
        )

    def create(self, make: Callable[[], Response]) -> Response:
        """Run `make` (a create) once per Idempotency-Key: the same key and body again
        returns the first answer; the same key with another body is refused (422)."""
        self.request.data  # noqa: B018 - the body is parsed first: 400 or 415 before anything
        access = partner_access(self.request)
        services.idempotent_answers_forget(access=access)
        key = self.request.headers.get(IDEMPOTENCY_HEADER)
        if key is None:
            return make()
        if not KEY_PATTERN.fullmatch(key):
            raise Problem(
                400,
                f"{IDEMPOTENCY_HEADER} must be 1 to 255 printable ASCII characters, no spaces.",
            )
        digest = _digest(self.request)
        earlier = selectors.idempotent_answer(access=access, key=key)
        if earlier is not None:
            return _replay(earlier, digest, self.request)
        try:
            with transaction.atomic():
                response = make()
                if 200 <= response.status_code < 300:
                    IdempotentRequest.objects.create(
                        access=access,
                        key=key,
                        method=self.request.method or "",
                        path=self.request.path[:500],
                        body_sha256=digest,
                        status=response.status_code,
                        response=json.loads(json.dumps(response.data, cls=JSONEncoder)),
                    )
        except IntegrityError:
            earlier = selectors.idempotent_answer(access=access, key=key)
            if earlier is None:
                raise
            return _replay(earlier, digest, self.request)
        return response


def _replay(earlier: IdempotentRequest, digest: str, request: Request) -> Response:
    if earlier.body_sha256 != digest:
        raise Problem(
            422,
            f"This {IDEMPOTENCY_HEADER} was used for a different request: use a new key for "
            "a new request.",
        )
    response = Response(earlier.response, status=earlier.status)
    response["Idempotent-Replayed"] = "true"
    return response


def _digest(request: Request) -> str:
    body = json.dumps(request.data, sort_keys=True, separators=(",", ":"), cls=JSONEncoder)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def _parse_moment(value: str) -> datetime | None:
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            if day is None:
                return None
            moment = datetime.combine(day, time.min)
    except (ValueError, OverflowError):
        return None
    if not (1900 <= moment.year <= 9000):  # far outside any record; converting could overflow
        moment = datetime(1900 if moment.year < 1900 else 9000, 1, 1)  # noqa: DTZ001
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment
