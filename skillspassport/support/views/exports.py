"""Downloads of casework lists (CSV or XLSX): the adviser's caseload and the referrals in to
their services. Each file holds what the caseworker may already see; residents' email and phone
are included only where the user may export contact details (EXPORT_CONTACTS). Every download
is recorded against each resident in it."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from skillspassport.accounts.access import scope_for
from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.accounts.models import User
from skillspassport.accounts.roles import Capability
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_shown
from skillspassport.core.exports import table_download
from skillspassport.people.models import Resident
from skillspassport.support import selectors
from skillspassport.support.models import Case
from skillspassport.support.views.shared import require_caseworker

CONTACT_HEADERS = ["Email", "Phone"]


def _contacts(user: User) -> tuple[bool, frozenset[int]]:
    """(whether the file has contact columns, organisations whose residents' contacts fill
    them)."""
    scope = scope_for(user, Capability.EXPORT_CONTACTS)
    return bool(scope), scope.organisation_ids


def _contact_cells(resident: Resident, organisations: frozenset[int]) -> list[str]:
    if resident.organisation_id in organisations:
        return [resident.email, resident.phone]
    return ["", ""]


def _audit(
    request: AuthenticatedRequest, cases: list[Case], with_contacts: bool, what: str, fmt: str
) -> None:
    audit_shown(
        user=request.user,
        residents=[case.resident for case in cases],
        action=AuditAction.CONTACTS_EXPORTED if with_contacts else AuditAction.LISTED,
        request=request,
        summary=f"{what} downloaded ({fmt.upper()})",
    )


def _date(value: object) -> object:
    return value if value is not None else ""


@require_GET
def caseload_export(request: AuthenticatedRequest, file_format: str) -> HttpResponse:
    require_caseworker(request)
    user = request.user
    cases = list(selectors.caseload_for(user=user))
    with_contacts, organisations = _contacts(user)
    today = timezone.localdate()
    headers = [
        "Resident",
        "Date of birth",
        "Postcode",
        *(CONTACT_HEADERS if with_contacts else []),
        "Referred by",
        "Referring organisation",
        "Referred on",
        "Opened on",
        "Next review",
        "Review overdue",
    ]
    rows = [
        [
            case.resident.full_name,
            case.resident.date_of_birth,
            case.resident.postcode,
            *(_contact_cells(case.resident, organisations) if with_contacts else []),
            case.get_referral_source_display(),
            case.referring_organisation,
            case.referred_on,
            case.opened_on,
            _date(case.next_review_on),
            "yes" if case.next_review_on and case.next_review_on < today else "no",
        ]
        for case in cases
    ]
    _audit(request, cases, with_contacts, "Caseload", file_format)
    return table_download(
        headers=headers, rows=rows, filename=f"caseload-{today:%Y-%m-%d}", file_format=file_format
    )


@require_GET
def referrals_export(request: AuthenticatedRequest, file_format: str) -> HttpResponse:
    require_caseworker(request)
    user = request.user
    cases = list(selectors.service_referrals_for(user))
    with_contacts, organisations = _contacts(user)
    headers = [
        "Resident",
        "Date of birth",
        *(CONTACT_HEADERS if with_contacts else []),
        "Service",
        "Referred by",
        "Referring organisation",
        "Referral contact",
        "Referred on",
        "Adviser",
        "Picked up",
        "Closed on",
        "Outcome",
    ]
    rows = [
        [
            case.resident.full_name,
            case.resident.date_of_birth,
            *(_contact_cells(case.resident, organisations) if with_contacts else []),
            case.organisation.name,
            case.get_referral_source_display(),
            case.referring_organisation,
            case.referral_contact,
            case.referred_on,
            case.adviser.full_name,
            "yes" if case.picked_up else "no",  # type: ignore[attr-defined]
            _date(case.closed_on),
            case.get_outcome_display(),
        ]
        for case in cases
    ]
    _audit(request, cases, with_contacts, "Referrals in", file_format)
    today = timezone.localdate()
    return table_download(
        headers=headers,
        rows=rows,
        filename=f"referrals-in-{today:%Y-%m-%d}",
        file_format=file_format,
    )
