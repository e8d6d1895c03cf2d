"""Job starts recorded from a case, the sustainment checks due, and recording a check."""

from __future__ import annotations

from django.contrib import messages
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_shown
from skillspassport.employers.selectors import check_get_for_user
from skillspassport.support import forms, selectors, services
from skillspassport.support.services.jobs import JobOutcomeError
from skillspassport.support.views.shared import case_form_page, case_url, require_caseworker


def _show(form: Form, error: JobOutcomeError) -> None:
    """Show the service's refusal on the field it names, else above the form."""
    form.add_error(error.field if error.field in form.fields else None, str(error))


@require_http_methods(["GET", "POST"])
def job_start_add(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    user = request.user
    case = selectors.case_get_for_user(user=user, public_id=public_id)
    form = forms.JobStartForm(
        request.POST or None, employers=selectors.employers_for(organisation=case.organisation)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.case_job_start_record(
                actor=user,
                case=case,
                employer=data["employer"],
                employer_name=data["employer_name"],
                role_title=data["role_title"],
                contract=data["contract"],
                started_on=data["started_on"],
                hours_per_week=data["hours_per_week"],
                hourly_wage=data["hourly_wage"],
                is_tech_role=data["is_tech_role"],
                request=request,
            )
        except JobOutcomeError as exc:
            _show(form, exc)
        else:
            messages.success(request, "Job start recorded. The 13- and 26-week checks are due.")
            return redirect(case_url(case, "jobs"))
    return case_form_page(request, case, form, "Record a job start", action="Record job start")


@require_GET
def checks_due(request: AuthenticatedRequest) -> HttpResponse:
    require_caseworker(request)
    today = timezone.localdate()
    checks = list(selectors.checks_due_for(user=request.user, today=today))
    audit_shown(
        user=request.user,
        residents=[c.job_start.resident for c in checks],
        action=AuditAction.LISTED,
        request=request,
        summary="Sustainment checks due",
    )
    return render(
        request,
        "support/checks_due.html",
        {
            "checks": checks,
            "today": today,
        },
    )


@require_http_methods(["GET", "POST"])
def check_record(request: AuthenticatedRequest, check_id: int) -> HttpResponse:
    user = request.user
    check = check_get_for_user(user=user, check_id=check_id)
    case = selectors.case_for_check(user=user, check=check)
    form = forms.SustainmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_sustainment_record(
                actor=user,
                check=check,
                outcome=form.cleaned_data["outcome"],
                checked_on=form.cleaned_data["checked_on"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except JobOutcomeError as exc:
            _show(form, exc)
        else:
            messages.success(request, f"{check.weeks}-week check recorded.")
            return redirect(case_url(case, "jobs"))
    return case_form_page(
        request,
        case,
        form,
        f"Record the {check.weeks}-week check: {check.job_start}",
        action="Record check",
    )
