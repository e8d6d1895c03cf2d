"""Referrals in: the caseload, finding a resident to open a case for, and opening the case."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.accounts.roles import Capability
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_searched, audit_shown
from skillspassport.people.selectors import query_kind, resident_get_for_user
from skillspassport.support import forms, selectors, services
from skillspassport.support.views.shared import case_url, require_caseworker


@require_GET
def caseload(request: AuthenticatedRequest) -> HttpResponse:
    require_caseworker(request)
    user = request.user
    query = request.GET.get("q", "").strip()[:100]
    found = list(selectors.residents_to_open_case_for(user=user, query=query)) if query else None
    cases = list(selectors.caseload_for(user=user))
    if found is not None:
        audit_searched(
            user=user, kind=query_kind(query), shown=found, request=request, where="to open a case"
        )
    audit_shown(
        user=user,
        residents=[c.resident for c in cases],
        action=AuditAction.LISTED,
        request=request,
        summary="Caseload",
    )
    return render(
        request,
        "support/caseload.html",
        {
            "cases": cases,
            "today": timezone.localdate(),
            "query": query,
            "found": found,
        },
    )


@require_http_methods(["GET", "POST"])
def case_open(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    user = request.user
    resident = resident_get_for_user(
        user=user, public_id=public_id, capability=Capability.MANAGE_CASES
    )
    form = forms.OpenCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_open(
                actor=user,
                resident=resident,
                referral_source=data["referral_source"],
                referred_on=data["referred_on"],
                referring_organisation=data["referring_organisation"],
                referral_contact=data["referral_contact"],
                opened_on=data["opened_on"],
                next_review_on=data["next_review_on"],
                request=request,
            )
        except services.CaseworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Case opened for {resident.full_name}.")
            return redirect(case_url(case))
    audit_shown(user=user, residents=[resident], request=request, summary="Opened a new case form")
    return render(request, "support/case_open.html", {"form": form, "resident": resident})
