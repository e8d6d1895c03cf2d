from __future__ import annotations

import io
from datetime import UTC
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.audit import forms
from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.audit.selectors import (
    audit_councils_for,
    audit_events_for_councils,
    audit_users_for,
)
from skillspassport.audit.services import audit_record
from skillspassport.core.exports import csv_writer

PAGE_SIZE = 50
CSV_COLUMNS = [
    "when (UTC)",
    "who",
    "organisation",
    "resident reference",
    "what",
    "fields",
    "before and after",
    "details",
    "address",
    "chain place",
]


def changes_text(event: AuditEvent) -> str:
    """Before and after values in words: "cap: 500.00 → 600.00; status: draft → published"."""

    def shown(value: object) -> str:
        return "(none)" if value in (None, "") else str(value)

    return "; ".join(
        f"{field}: {shown(pair[0])} → {shown(pair[1])}"
        for field, pair in (event.changes or {}).items()
        if isinstance(pair, list) and len(pair) == 2
    )


@require_GET
def council_audit(request: AuthenticatedRequest) -> HttpResponse:
    """Everything recorded in the council's scheme: its own and its partners' events."""
    user = request.user
    councils = list(audit_councils_for(user=user))
    if not councils:
        raise PermissionDenied
    data = {k: v for k, v in request.GET.items() if k not in ("page", "format")}
    form = forms.AuditFilterForm(data or None, users=audit_users_for(councils=councils))
    filters = form.cleaned_data if data and form.is_valid() else {}
    events: QuerySet[AuditEvent] = audit_events_for_councils(councils=councils, filters=filters)
    if data and form.errors:
        events = events.none()
    described = ", ".join(f"{k}={v}" for k, v in sorted(data.items()) if v) or "no filters"
    if request.GET.get("format") == "csv" and not form.errors:
        return _csv(request, councils, events, described)
    # Recorded before the page is read, so the page counts and shows this visit too.
    for council in councils:
        audit_record(
            user=user,
            action=AuditAction.AUDIT_VIEWED,
            organisation=council,
            summary=f"Council audit log, {described}",
            request=request,
        )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(event, changes_text(event)) for event in page]
    query = request.GET.copy()
    query.pop("page", None)
    query["format"] = "csv"
    return render(
        request,
        "audit/council_audit.html",
        {
            "councils": councils,
            "form": form,
            "page": page,
            "rows": rows,
            "csv_query": query.urlencode(),
        },
        status=400 if form.errors else 200,
    )


def _csv(
    request: AuthenticatedRequest, councils: list[Any], events: Any, described: str
) -> HttpResponse:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for event in events.iterator(chunk_size=2000):
        count += 1
        writer.writerow(
            [
                event.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
                event.user.email if event.user else "System",
                event.organisation.name if event.organisation else "",
                event.resident.public_id if event.resident else "",
                event.get_action_display(),
                ", ".join(event.fields or []),
                changes_text(event),
                event.summary,
                event.ip_address or "",
                event.seq,
            ]
        )
    for council in councils:
        audit_record(
            user=request.user,
            action=AuditAction.AUDIT_EXPORTED,
            organisation=council,
            summary=f"Council audit log CSV, {described}: {count} events",
            request=request,
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response
