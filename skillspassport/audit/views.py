from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from skillspassport.accounts.roles import Capability
from skillspassport.audit.models import AuditAction
from skillspassport.audit.selectors import audit_events_for_resident
from skillspassport.audit.services import audit_record
from skillspassport.people.selectors import resident_get_for_user


def resident_audit(request: HttpRequest, public_id: str) -> HttpResponse:
    user: Any = request.user
    resident = resident_get_for_user(
        user=user, public_id=public_id, capability=Capability.VIEW_AUDIT
    )
    audit_record(user=user, action=AuditAction.AUDIT_VIEWED, resident=resident, request=request)
    page = Paginator(audit_events_for_resident(resident=resident), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "audit/resident_audit.html", {"resident": resident, "page": page})
