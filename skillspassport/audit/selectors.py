"""Reading the audit log."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from skillspassport.accounts.models import Organisation, OrganisationKind, User
from skillspassport.accounts.roles import Capability
from skillspassport.accounts.selectors import organisation_ids_where
from skillspassport.audit.models import AuditEvent

if TYPE_CHECKING:
    from skillspassport.people.models import Resident


def audit_events_for_resident(*, resident: Resident) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(resident=resident).select_related("user")


def audit_councils_for(*, user: User) -> QuerySet[Organisation]:
    """The councils whose whole audit log the user may read (VIEW_AUDIT in the council)."""
    return Organisation.objects.filter(
        id__in=organisation_ids_where(user=user, capability=Capability.VIEW_AUDIT),
        kind=OrganisationKind.COUNCIL,
    )


def _scheme_organisation_ids(councils: Iterable[Organisation]) -> list[int]:
    ids = [c.pk for c in councils]
    return ids + list(Organisation.objects.filter(council_id__in=ids).values_list("pk", flat=True))


def audit_users_for(*, councils: Iterable[Organisation]) -> QuerySet[User]:
    """Staff of the councils and their partners, for the "who" filter."""
    return User.objects.filter(
        memberships__organisation_id__in=_scheme_organisation_ids(councils)
    ).distinct()


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events_for_councils(
    *, councils: Iterable[Organisation], filters: dict[str, Any] | None = None
) -> QuerySet[AuditEvent]:
    """Events of the councils and their partner organisations, newest first, filtered by
    `start`/`end` dates (inclusive), `action`, `user` and `resident` (its public id)."""
    filters = filters or {}
    events = AuditEvent.objects.filter(
        organisation_id__in=_scheme_organisation_ids(councils)
    ).select_related("user", "organisation", "resident")
    if start := filters.get("start"):
        events = events.filter(at__gte=_day_start(start))
    if end := filters.get("end"):
        events = events.filter(at__lt=_day_start(end + timedelta(days=1)))
    if action := filters.get("action"):
        events = events.filter(action=action)
    if user := filters.get("user"):
        events = events.filter(user=user)
    if resident := filters.get("resident"):
        events = events.filter(Q(resident__public_id=resident))
    return events.order_by("-at", "-id")
