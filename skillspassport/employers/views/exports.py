"""The referrals to an employer as a download (CSV or XLSX), for its own contacts and for
scheme staff who may see the employer. The file shows what the employer's page shows: a
contact sees a person's name only while the referral stands and the resident still agrees to
be put forward (ADR 0012); staff see only the residents they may see. Recorded against each
resident named."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_shown
from skillspassport.core.exports import table_download
from skillspassport.employers import selectors
from skillspassport.employers.models import Referral


def _person(referral: Referral, as_staff: bool) -> str:
    if as_staff or referral.shows_resident:  # type: ignore[attr-defined]
        return referral.resident.full_name
    if referral.consent_active:  # type: ignore[attr-defined]
        return "Referral withdrawn"
    return "Consent withdrawn"


def _day(value: object) -> object:
    return "" if value is None else value


@require_GET
def referrals_export(
    request: AuthenticatedRequest, employer_id: int, file_format: str
) -> HttpResponse:
    access = selectors.employer_get_for_user(user=request.user, employer_id=employer_id)
    employer = access.employer
    referrals = list(
        selectors.referrals_seen_by(user=request.user, employer=employer, as_staff=access.as_staff)
    )
    headers = [
        "Person",
        "Opportunity",
        "Referred on",
        "Stage",
        "Interviewed on",
        "Offered on",
        "Started on",
    ]
    rows = [
        [
            _person(r, access.as_staff),
            r.opportunity.title,
            timezone.localtime(r.referred_at).date(),
            r.get_status_display(),
            _day(r.interviewed_on),
            _day(r.offered_on),
            _day(r.started_on),
        ]
        for r in referrals
    ]
    named = [r.resident for r in referrals if access.as_staff or r.shows_resident]  # type: ignore[attr-defined]
    audit_shown(
        user=request.user,
        residents=named,
        action=AuditAction.LISTED,
        request=request,
        summary=f"Referrals to an employer downloaded ({file_format.upper()})",
    )
    return table_download(
        headers=headers,
        rows=rows,
        filename=f"referrals-employer-{employer.pk}",
        file_format=file_format,
    )
