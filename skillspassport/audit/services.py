"""Writing to the audit log. Callers pass the request's user; nothing here reads settings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.core.middleware import client_ip as address_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
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
    changes: Mapping[str, Sequence[object]] | None = None,
    organisation_id: int | None = None,
) -> AuditEvent:
    """Record one event. `organisation` is for events about no resident (an API client, the
    trust registry); otherwise the resident's organisation is recorded.

    `changes` holds before and after values, `{field: (before, after)}`, JSON-serialisable. It
    is for things that are not a resident's personal data: a resident's changed fields are
    named in `fields` only, so that erasure never has to alter the log."""
    if resident is not None:
        organisation_id = resident.organisation_id
    elif organisation is not None:
        organisation_id = organisation.pk
    event = AuditEvent(
        user=_actor(user),
        organisation_id=organisation_id,
        resident=resident,
        action=action,
        summary=summary[:300],
        fields=sorted(set(fields) | set(changes or {})),
        changes={key: list(value) for key, value in (changes or {}).items()},
        ip_address=client_ip(request),
    )
    AuditEvent.objects.bulk_create([event])
    return event


def audit_shown(
    *,
    user: User | AnonymousUser | None,
    residents: Iterable[Resident | None],
    action: AuditAction = AuditAction.VIEWED,
    request: HttpRequest | None = None,
    summary: str = "",
) -> list[AuditEvent]:
    """Record that a page, export or download showed these residents: one event for each
    (each resident's own audit page lists it), written in one chained batch.

    `summary` says where, e.g. "cohort register"; it must not repeat what was shown."""
    seen: set[int] = set()
    events = []
    actor, ip = _actor(user), client_ip(request)
    for resident in residents:
        if resident is None or resident.pk in seen:
            continue
        seen.add(resident.pk)
        events.append(
            AuditEvent(
                user=actor,
                organisation_id=resident.organisation_id,
                resident_id=resident.pk,
                action=action,
                summary=summary[:300],
                ip_address=ip,
            )
        )
    return AuditEvent.objects.bulk_create(events)


def audit_searched(
    *,
    user: User | AnonymousUser | None,
    kind: str,
    shown: Iterable[Resident],
    request: HttpRequest | None = None,
    where: str = "residents",
) -> list[AuditEvent]:
    """Record a search without what was typed: one SEARCHED event naming only the kind of
    search (e.g. "by name") and the number found, then a LISTED event for each resident
    shown. `kind` comes from `people.selectors.query_kind`, never from the query itself."""
    shown = list(shown)
    search = AuditEvent(
        user=_actor(user),
        action=AuditAction.SEARCHED,
        summary=f"Searched {where} {kind}: {len(shown)} shown"[:300],
        ip_address=client_ip(request),
    )
    AuditEvent.objects.bulk_create([search])
    return [
        search,
        *audit_shown(
            user=user,
            residents=shown,
            action=AuditAction.LISTED,
            request=request,
            summary=f"Search results ({where})",
        ),
    ]


def _actor(user: User | AnonymousUser | None) -> User | None:
    return user if user is not None and user.is_authenticated else None
