"""A cohort's register as a download (CSV or XLSX): one row per learner holding or having held
a place, one column per session with the mark recorded. Provider staff may download the
register of any cohort they may open; residents' email and phone are added only for those who
may export contact details (EXPORT_CONTACTS). Each download is recorded against every learner
in it."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from skillspassport.accounts.access import scope_for
from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.accounts.roles import Capability
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_shown
from skillspassport.core.exports import table_download
from skillspassport.training import selectors
from skillspassport.training.models import AttendanceMark, EnrolmentStatus

MARKS = dict(AttendanceMark.choices)


@require_GET
def register_export(
    request: AuthenticatedRequest, cohort_id: int, file_format: str
) -> HttpResponse:
    user = request.user
    cohort = selectors.cohort_get_for_user(user=user, cohort_id=cohort_id)
    learners = [
        e for e in selectors.cohort_learners(cohort=cohort) if e.status != EnrolmentStatus.WAITING
    ]
    sessions = selectors.cohort_sessions(cohort=cohort)
    marks = selectors.register_marks(cohort=cohort)
    contacts = scope_for(user, Capability.EXPORT_CONTACTS)
    headers = [
        "Learner",
        "Status",
        *(["Email", "Phone"] if contacts else []),
        *[f"{timezone.localtime(s.starts_at):%d/%m/%Y %H:%M}" for s in sessions],
        "Sessions present",
    ]
    rows = []
    for e in learners:
        shown = contacts.holds(e.resident.organisation_id)
        rows.append(
            [
                e.resident.full_name,
                e.get_status_display(),
                *([e.resident.email, e.resident.phone] if shown else ["", ""] if contacts else []),
                *[MARKS.get(marks.get((e.pk, s.pk), ""), "") for s in sessions],
                e.present,  # type: ignore[attr-defined]
            ]
        )
    audit_shown(
        user=user,
        residents=[e.resident for e in learners],
        action=AuditAction.CONTACTS_EXPORTED if contacts else AuditAction.LISTED,
        request=request,
        summary=f"Register of cohort {cohort.pk} downloaded ({file_format.upper()})",
    )
    return table_download(
        headers=headers,
        rows=rows,
        filename=f"register-cohort-{cohort.pk}",
        file_format=file_format,
    )
