"""Staff actions on a resident's credentials: issue, download, suspend, revoke, share."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.accounts.roles import Capability
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record, audit_shown
from skillspassport.credentials import forms, selectors, services
from skillspassport.credentials.models import IssuedCredential
from skillspassport.credentials.views.public import json_download
from skillspassport.people.models import Resident
from skillspassport.people.selectors import resident_get_for_user


def _credential_for(
    request: AuthenticatedRequest, public_id: str, credential_id: str, cap: Capability
) -> tuple[Resident, IssuedCredential]:
    resident = resident_get_for_user(user=request.user, public_id=public_id, capability=cap)
    credential = selectors.credential_get_for_resident(
        resident=resident, credential_id=credential_id
    )
    return resident, credential


def _back(resident: Resident) -> HttpResponse:
    return redirect(reverse("people:detail", args=[resident.public_id]) + "#credentials")


@require_POST
def credential_issue(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    user = request.user
    resident = resident_get_for_user(
        user=user, public_id=public_id, capability=Capability.ISSUE_CREDENTIALS
    )
    form = forms.IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The credential could not be issued: choose a valid option.")
        return _back(resident)
    years = form.cleaned_data["validity"]
    valid_until = timezone.now() + timedelta(days=365 * int(years)) if years else None
    try:
        issued = services.credential_issue(
            resident=resident,
            strand_code=form.cleaned_data["strand"],
            user=user,
            valid_until=valid_until,
            request=request,
        )
    except services.CredentialError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{issued.document['name']} credential issued.")
    return _back(resident)


@require_GET
def credential_download(
    request: AuthenticatedRequest, public_id: str, credential_id: str
) -> HttpResponse:
    resident, credential = _credential_for(
        request, public_id, credential_id, Capability.VIEW_RESIDENTS
    )
    audit_record(
        user=request.user,
        action=AuditAction.CREDENTIAL_DOWNLOADED,
        resident=resident,
        summary=str(credential.document.get("name")),
        request=request,
    )
    return json_download(credential)


@require_http_methods(["GET", "POST"])
def credential_withdraw(
    request: AuthenticatedRequest, public_id: str, credential_id: str
) -> HttpResponse:
    user = request.user
    resident, credential = _credential_for(
        request, public_id, credential_id, Capability.REVOKE_CREDENTIALS
    )
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = {"suspend": services.credential_suspend, "revoke": services.credential_revoke}
        try:
            action[form.cleaned_data["action"]](
                user=user,
                credential=credential,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except services.CredentialError as exc:
            form.add_error(None, str(exc))
        else:
            done = "revoked" if form.cleaned_data["action"] == "revoke" else "suspended"
            messages.success(request, f"{credential.document['name']} credential {done}.")
            return _back(resident)
    audit_shown(
        user=user, residents=[resident], request=request, summary="Opened a credential withdrawal"
    )
    return render(
        request,
        "credentials/withdraw.html",
        {"form": form, "resident": resident, "credential": credential},
    )


@require_POST
def credential_reinstate(
    request: AuthenticatedRequest, public_id: str, credential_id: str
) -> HttpResponse:
    resident, credential = _credential_for(
        request, public_id, credential_id, Capability.REVOKE_CREDENTIALS
    )
    try:
        services.credential_reinstate(user=request.user, credential=credential, request=request)
    except services.CredentialError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{credential.document['name']} credential reinstated.")
    return _back(resident)


@require_POST
def credential_share(
    request: AuthenticatedRequest, public_id: str, credential_id: str
) -> HttpResponse:
    resident, credential = _credential_for(
        request, public_id, credential_id, Capability.ISSUE_CREDENTIALS
    )
    withdraw = request.POST.get("withdraw") == "1"
    try:
        if withdraw:
            services.share_link_withdraw(user=request.user, credential=credential, request=request)
            messages.success(request, "Share link withdrawn: it no longer opens the credential.")
        else:
            services.share_link_create(user=request.user, credential=credential, request=request)
            messages.success(request, "Share link made. Give it to the resident or an employer.")
    except services.CredentialError as exc:
        messages.error(request, str(exc))
    return _back(resident)
