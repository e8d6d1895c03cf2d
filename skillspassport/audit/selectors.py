"""Reading the audit log."""

from __future__ import annotations

from django.db.models import QuerySet

from skillspassport.audit.models import AuditEvent
from skillspassport.people.models import Resident


def audit_events_for_resident(*, resident: Resident) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(resident=resident).select_related("user")
