"""Issuing and revoking credentials for many residents at once (a CSV of resident ids),
as background work."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.accounts.roles import Capability
from skillspassport.accounts.selectors import organisation_ids_where
from skillspassport.credentials import bulk, forms


def _allowed(request: AuthenticatedRequest, capability: Capability) -> None:
    if not organisation_ids_where(user=request.user, capability=capability):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def bulk_issue(request: AuthenticatedRequest) -> HttpResponse:
    _allowed(request, Capability.ISSUE_CREDENTIALS)
    form = forms.BulkForm(request.POST, request.FILES) if request.method == "POST" else None
    if form is not None and form.is_valid():
        work = bulk.bulk_issue_start(
            user=request.user,
            strand_code=form.cleaned_data["strand"],
            rows=form.cleaned_data["rows"],
        )
        return redirect("background:detail", work_id=work.pk)
    return render(
        request,
        "credentials/bulk.html",
        {"form": form or forms.BulkForm(), "revoke": False},
    )


@require_http_methods(["GET", "POST"])
def bulk_revoke(request: AuthenticatedRequest) -> HttpResponse:
    _allowed(request, Capability.REVOKE_CREDENTIALS)
    form = forms.BulkRevokeForm(request.POST, request.FILES) if request.method == "POST" else None
    if form is not None and form.is_valid():
        work = bulk.bulk_revoke_start(
            user=request.user,
            strand_code=form.cleaned_data["strand"],
            reason=form.cleaned_data["reason"],
            rows=form.cleaned_data["rows"],
        )
        return redirect("background:detail", work_id=work.pk)
    return render(
        request,
        "credentials/bulk.html",
        {"form": form or forms.BulkRevokeForm(), "revoke": True},
    )
