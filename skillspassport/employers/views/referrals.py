"""Referrals and outcomes: a referral's page (its progress to a start, or its withdrawal) and
the referred resident's credentials for the employer to verify."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_shown
from skillspassport.employers import forms, selectors, services
from skillspassport.employers.services import EmployerError
from skillspassport.employers.views.common import show_error
from skillspassport.skills.selectors import passport_summary


@require_http_methods(["GET", "POST"])
def referral_detail(request: AuthenticatedRequest, referral_id: int) -> HttpResponse:
    user = request.user
    access = selectors.referral_get_for_user(
        user=user, referral_id=referral_id, change=request.method == "POST"
    )
    referral, as_staff = access.referral, access.as_staff
    # An employer sees who the referral is about only while it is live and the resident still
    # agrees to be put forward (decided now, from the active consent).
    shows_resident = as_staff or selectors.referral_shows_resident(referral=referral)
    progress = forms.ProgressForm(request.POST if "progress" in request.POST else None, prefix="p")
    withdraw = forms.WithdrawForm(request.POST if "withdraw" in request.POST else None, prefix="w")
    if request.method == "POST":
        if not shows_resident:
            raise PermissionDenied
        try:
            if "progress" in request.POST and progress.is_valid():
                data = progress.cleaned_data
                services.referral_progress(
                    actor=user,
                    referral=referral,
                    stage=data["stage"],
                    on=data["on"],
                    at=data["at"],
                    note=data["note"],
                    hours_per_week=data["hours_per_week"],
                    hourly_wage=data["hourly_wage"],
                    contract=data["contract"] or "permanent",
                    request=request,
                )
                messages.success(request, "Outcome recorded.")
                return redirect("employers:referral", referral_id=referral.pk)
            if "withdraw" in request.POST and withdraw.is_valid():
                services.referral_withdraw(
                    actor=user,
                    referral=referral,
                    reason=withdraw.cleaned_data["reason"],
                    request=request,
                )
                messages.success(request, "Referral withdrawn.")
                return redirect("employers:referral", referral_id=referral.pk)
        except EmployerError as error:
            show_error(progress if "progress" in request.POST else withdraw, error)
    if not shows_resident:
        return render(
            request,
            "employers/referral_closed.html",
            {
                "referral": referral,
                "consent_active": selectors.referral_consent_active(referral=referral),
            },
        )
    if not as_staff:
        services.referral_viewed(actor=user, referrals=[referral], request=request)
    else:
        audit_shown(
            user=user, residents=[referral.resident], request=request, summary="Opened a referral"
        )
    resident = referral.resident
    return render(
        request,
        "employers/referral.html",
        {
            "referral": referral,
            "resident": resident,
            "summary": passport_summary(resident=resident),
            "credentials": selectors.referral_credentials(referral=referral),
            "progress": progress,
            "withdraw": withdraw,
            "as_staff": as_staff,
            "may_change": access.may_change,
            "checks": selectors.checks_of_referral(referral=referral),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET"])
def referral_credential(
    request: AuthenticatedRequest, referral_id: int, credential_id: Any
) -> JsonResponse:
    """The referred resident's signed credential, as issued, for the employer to verify."""
    access = selectors.referral_get_for_user(user=request.user, referral_id=referral_id)
    referral = access.referral
    if not access.as_staff and not selectors.referral_shows_resident(referral=referral):
        raise Http404
    for credential in selectors.referral_credentials(referral=referral):
        if str(credential.public_id) == str(credential_id):
            audit_shown(
                user=request.user,
                residents=[referral.resident],
                request=request,
                action=AuditAction.CREDENTIAL_DOWNLOADED,
                summary="Downloaded from a referral",
            )
            response = JsonResponse(credential.document, json_dumps_params={"indent": 2})
            response["Content-Disposition"] = (
                f'attachment; filename="passport-{credential.strand_code}.json"'
            )
            return response
    raise Http404
