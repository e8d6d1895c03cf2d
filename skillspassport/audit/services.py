"""Writing to the audit log. Callers pass the request's user; nothing here reads settings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.core.middleware import client_ip as address_of

if TYPE_CHECKING:
    from django.http import HttpRequest

    from skillspassport.accounts.models import Organisation, User
    from skillspassport.people.models import Resident


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address, as lockouts and rate limits see it (behind trusted proxies too)."""
    if request is None:
        return None
    return address_of(request)


def audit_record(
    *,
    user: User | None,
    action: AuditAction,
    resident: Resident | None = None,
    summary: str = "",
    fields: Iterable[str] = (),
    request: HttpRequest | None = None,
    organisation: Organisation | None = None,
    changes: dict[str, tuple[object, object] | list[object]] | None = None,
) -> AuditEvent:
    """Record one event. `organisation` is for events about no resident (an API client, the
    trust registry); otherwise the resident's organisation is recorded.

    `changes` holds before and after values, `{field: (before, after)}`, JSON-serialisable. It
    is for things that are not a resident's personal data: a resident's changed fields are
    named in `fields` only, so that erasure never has to alter the log."""
    if resident is not None:
        organisation_id: int | None = resident.organisation_id
    else:
        organisation_id = organisation.pk if organisation is not None else None
    return AuditEvent.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        organisation_id=organisation_id,
        resident=resident,
        action=action,
        summary=summary[:300],
        fields=sorted(set(fields) | set(changes or {})),
        changes={key: list(value) for key, value in (changes or {}).items()},
        ip_address=client_ip(request),
    )
