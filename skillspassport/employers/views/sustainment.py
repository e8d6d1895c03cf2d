"""Sustainment: the 13- and 26-week checks due, and recording one."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.accounts.roles import Capability
from skillspassport.accounts.selectors import organisation_ids_where
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_shown
from skillspassport.employers import forms, selectors, services
from skillspassport.employers.services import EmployerError
from skillspassport.employers.views.common import show_error


@require_http_methods(["GET"])
def checks_due(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    as_employer = bool(selectors.own_employer_ids(user=user))
    if not as_employer and not organisation_ids_where(
        user=user, capability=Capability.VIEW_RESIDENTS
    ):
        raise Http404
    checks = list(selectors.checks_due(user=user))
    audit_shown(
        user=user,
        residents=[c.job_start.resident for c in checks],
        action=AuditAction.LISTED,
        request=request,
        summary="Sustainment checks due",
    )
    return render(
        request,
        "employers/checks_due.html",
        {
            "checks": checks,
            "today": timezone.localdate(),
            "as_employer": as_employer,
        },
    )


@require_http_methods(["GET", "POST"])
def check_record(request: AuthenticatedRequest, check_id: int) -> HttpResponse:
    user = request.user
    check = selectors.check_get_for_user(user=user, check_id=check_id)
    form = forms.SustainmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sustainment_record(
                actor=user, check=check, request=request, **form.cleaned_data
            )
        except EmployerError as error:
            show_error(form, error)
        else:
            messages.success(request, f"{check.weeks}-week check recorded.")
            return redirect("employers:checks-due")
    audit_shown(
        user=user,
        residents=[check.job_start.resident],
        request=request,
        summary="Opened a sustainment check",
    )
    return render(
        request, "employers/check.html", {"form": form, "check": check, "job": check.job_start}
    )
