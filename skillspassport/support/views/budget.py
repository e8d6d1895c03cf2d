"""Casework pages: caseload, opening a case, the case page and its forms, approvals, the
budget policy, and sustainment checks due. Views authorise, bind a form, call one service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from skillspassport.accounts.access import acting_council
from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.accounts.models import OrganisationKind
from skillspassport.accounts.roles import Capability
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record, audit_searched, audit_shown
from skillspassport.employers.selectors import check_get_for_user
from skillspassport.people.selectors import query_kind, resident_get_for_user
from skillspassport.support import forms, selectors, services
from skillspassport.support.models import (
    Case,
    SpendStatus,
)


def _case_url(case: Case, anchor: str = "") -> str:
    return reverse("support:case", args=[case.public_id]) + (f"#{anchor}" if anchor else "")


def _require_caseworker(request: AuthenticatedRequest) -> None:
    if not selectors.may_open_cases(user=request.user):
        raise PermissionDenied


# --- Caseload and opening a case ------------------------------------------------------------


@require_GET
def caseload(request: AuthenticatedRequest) -> HttpResponse:
    _require_caseworker(request)
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
            return redirect(_case_url(case))
    audit_shown(user=user, residents=[resident], request=request, summary="Opened a new case form")
    return render(request, "support/case_open.html", {"form": form, "resident": resident})


# --- The case page --------------------------------------------------------------------------


@require_GET
def case_detail(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    user = request.user
    case = selectors.case_get_for_user(user=user, public_id=public_id)
    resident = case.resident
    audit_record(
        user=user,
        action=AuditAction.VIEWED,
        resident=resident,
        summary="Opened the case",
        request=request,
    )
    return render(
        request,
        "support/case_detail.html",
        {
            "case": case,
            "resident": resident,
            "goals": list(case.goals.all()),
            "goal_form": forms.GoalStatusForm(),
            "notes": list(case.notes.select_related("author")),
            "note_form": forms.NoteForm(),
            "balance": selectors.balance_for(resident=resident),
            "spends": list(selectors.spends_for(resident=resident)),
            "devices": list(selectors.devices_for(resident=resident)),
            "placements": list(selectors.placements_for(resident=resident)),
            "job_starts": selectors.job_starts_for(case=case),
            "other_cases": list(resident.cases.exclude(pk=case.pk).select_related("organisation")),
            "today": timezone.localdate(),
        },
    )


def _form_page(
    request: AuthenticatedRequest,
    case: Case,
    form: Any,
    title: str,
    *,
    action: str = "Save",
    multipart: bool = False,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    view = request.resolver_match.view_name if request.resolver_match else "case form"
    audit_shown(
        user=request.user,
        residents=[case.resident],
        request=request,
        summary=f"Opened a case form ({view})",
    )
    return render(
        request,
        "support/case_form.html",
        {
            "case": case,
            "resident": case.resident,
            "form": form,
            "title": title,
            "action": action,
            "multipart": multipart,
            **(extra or {}),
        },
    )


def _advisers_for(case: Case) -> Any:
    return selectors.advisers_for(case=case)


@require_http_methods(["GET", "POST"])
def case_edit(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    user = request.user
    case = selectors.case_get_for_user(user=user, public_id=public_id)
    form = forms.CaseUpdateForm(
        request.POST or None,
        advisers=_advisers_for(case),
        initial={"adviser": case.adviser, "next_review_on": case.next_review_on},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(
                actor=user,
                case=case,
                adviser=form.cleaned_data["adviser"],
                next_review_on=form.cleaned_data["next_review_on"],
                request=request,
            )
        except services.CaseworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Case updated.")
            return redirect(_case_url(case))
    return _form_page(request, case, form, "Change adviser or review date")


@require_http_methods(["GET", "POST"])
def goal_add(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    user = request.user
    case = selectors.case_get_for_user(user=user, public_id=public_id)
    form = forms.GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_add(
                actor=user,
                case=case,
                text=form.cleaned_data["text"],
                target_on=form.cleaned_data["target_on"],
                request=request,
            )
        except services.CaseworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Goal added to the action plan.")
            return redirect(_case_url(case, "plan"))
    return _form_page(request, case, form, "Add a goal to the action plan", action="Add goal")


@require_POST
def goal_status(request: AuthenticatedRequest, public_id: str, goal_id: int) -> HttpResponse:
    user = request.user
    case = selectors.case_get_for_user(user=user, public_id=public_id)
    goal = selectors.goal_get_for_case(case=case, goal_id=goal_id)
    form = forms.GoalStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Select a goal status from the list.")
    else:
        try:
            services.goal_set_status(
                actor=user, goal=goal, status=form.cleaned_data["status"], request=request
            )
        except services.CaseworkError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Goal status changed.")
    return redirect(_case_url(case, "plan"))


@require_http_methods(["GET", "POST"])
def note_add(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    user = request.user
    case = selectors.case_get_for_user(user=user, public_id=public_id)
    form = forms.NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.case_note_add(
            actor=user, case=case, text=form.cleaned_data["text"], request=request
        )
        messages.success(request, "Note added.")
        return redirect(_case_url(case, "notes"))
    return _form_page(request, case, form, "Add a case note", action="Add note")


@require_http_methods(["GET", "POST"])
def case_close(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    user = request.user
    case = selectors.case_get_for_user(user=user, public_id=public_id)
    form = forms.CloseCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_close(
                actor=user,
                case=case,
                outcome=form.cleaned_data["outcome"],
                closed_on=form.cleaned_data["closed_on"],
                request=request,
            )
        except services.CaseworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Case closed.")
            return redirect(_case_url(case))
    return _form_page(request, case, form, "Close the case", action="Close case")


# --- Personal budget ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def spend_add(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    user = request.user
    case = selectors.case_get_for_user(user=user, public_id=public_id)
    form = forms.SpendForm(request.POST or None, request.FILES or None)
    balance = selectors.balance_for(resident=case.resident)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            spend = services.budget_spend_record(
                actor=user,
                case=case,
                category=data["category"],
                amount=data["amount"],
                description=data["description"],
                spent_on=data["spent_on"],
                receipt=data["receipt"],
                receipt_type=data.get("receipt_type", ""),
                request=request,
            )
        except services.CaseworkError as exc:
            form.add_error("amount", str(exc))
        else:
            if spend.status == SpendStatus.APPROVED:
                messages.success(request, f"£{spend.amount:,.2f} spend recorded and approved.")
            else:
                messages.success(
                    request,
                    f"£{spend.amount:,.2f} spend recorded. It is above £{balance.threshold:,.2f}, "
                    "so it is awaiting approval.",
                )
            return redirect(_case_url(case, "budget"))
    return _form_page(
        request,
        case,
        form,
        "Record a personal budget spend",
        action="Record spend",
        multipart=True,
        extra={"balance": balance},
    )


@require_POST
def spend_cancel(request: AuthenticatedRequest, public_id: str, spend_id: int) -> HttpResponse:
    user = request.user
    case = selectors.case_get_for_user(user=user, public_id=public_id)
    spend = selectors.spend_get_for_case(case=case, spend_id=spend_id)
    try:
        services.budget_spend_cancel(actor=user, spend=spend, request=request)
    except services.CaseworkError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"£{spend.amount:,.2f} spend cancelled.")
    return redirect(_case_url(case, "budget"))


@require_GET
def receipt_download(request: AuthenticatedRequest, spend_id: int) -> FileResponse:
    user = request.user
    spend = selectors.spend_get_for_user(user=user, spend_id=spend_id)
    if not spend.receipt:
        raise Http404("No receipt")
    audit_record(
        user=user,
        action=AuditAction.RECEIPT_VIEWED,
        resident=spend.ledger.resident,
        summary=f"Receipt for £{spend.amount:,.2f} {spend.get_category_display().lower()}",
        request=request,
    )
    extension = spend.receipt.name.rsplit(".", 1)[-1]
    return FileResponse(
        spend.receipt.open("rb"),
        content_type=spend.receipt_type or "application/octet-stream",
        as_attachment=True,
        filename=f"receipt-{spend.pk}.{extension}",
    )


@require_GET
def approvals(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not selectors.may_approve(user=user):
        raise PermissionDenied
    spends = list(selectors.approvals_queue(user=user))
    audit_record(user=user, action=AuditAction.LISTED, summary="Opened the budget approvals queue")
    audit_shown(
        user=user,
        residents=[s.ledger.resident for s in spends],
        action=AuditAction.LISTED,
        request=request,
        summary="Budget approvals queue",
    )
    return render(
        request,
        "support/approvals.html",
        {
            "spends": spends,
            "can_set_policy": bool(selectors.may_manage_policy(user=user)),
        },
    )


@require_http_methods(["GET", "POST"])
def approval_decide(request: AuthenticatedRequest, spend_id: int) -> HttpResponse:
    user = request.user
    spend = selectors.spend_get_for_approver(user=user, spend_id=spend_id)
    form = forms.DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_spend_decide(
                actor=user,
                spend=spend,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
                request=request,
            )
        except services.CaseworkError as exc:
            form.add_error(None, str(exc))
        else:
            done = "approved" if form.cleaned_data["decision"] == "approve" else "refused"
            messages.success(request, f"£{spend.amount:,.2f} spend {done}.")
            return redirect("support:approvals")
    if request.method == "GET":
        audit_record(
            user=user,
            action=AuditAction.VIEWED,
            resident=spend.ledger.resident,
            summary="Opened a budget spend for approval",
            request=request,
        )
    return render(
        request,
        "support/approval_decide.html",
        {
            "spend": spend,
            "form": form,
            "balance": selectors.balance_for(resident=spend.ledger.resident),
            "own": spend.requested_by_id == user.pk,
        },
    )


@require_http_methods(["GET", "POST"])
def budget_policy(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    council = acting_council(
        request, Capability.MANAGE_ORGANISATION, kinds=[OrganisationKind.COUNCIL]
    )
    policy = selectors.policy_row_of(council=council)
    current = selectors.policy_for(organisation=council)
    form = forms.PolicyForm(
        request.POST or None,
        initial={"cap": current.cap, "approval_threshold": current.threshold},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_policy_set(
                actor=user,
                council=council,
                cap=form.cleaned_data["cap"],
                approval_threshold=form.cleaned_data["approval_threshold"],
            )
        except services.CaseworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Budget policy saved.")
            return redirect("support:budget-policy")
    return render(
        request,
        "support/budget_policy.html",
        {"form": form, "council": council, "policy": policy},
    )


# --- Devices, placements, job starts --------------------------------------------------------


@require_http_methods(["GET", "POST"])
def device_add(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    user = request.user
    case = selectors.case_get_for_user(user=user, public_id=public_id)
    form = forms.DeviceForm(
        request.POST or None, hubs=selectors.hubs_for(organisation=case.organisation)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.device_record(
                actor=user,
                case=case,
                hub=data["hub"],
                kind=data["kind"],
                serial=data["serial"],
                issued_on=data["issued_on"],
                arrangement=data["arrangement"],
                due_back_on=data["due_back_on"],
                condition=data["condition"],
                request=request,
            )
        except services.CaseworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Device recorded.")
            return redirect(_case_url(case, "devices"))
    return _form_page(request, case, form, "Record a device or data SIM", action="Record")


@require_http_methods(["GET", "POST"])
def device_return(request: AuthenticatedRequest, public_id: str, device_id: int) -> HttpResponse:
    user = request.user
    case = selectors.case_get_for_user(user=user, public_id=public_id)
    device = selectors.device_get_for_case(case=case, device_id=device_id)
    form = forms.DeviceReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.device_return(
                actor=user,
                device=device,
                returned_on=form.cleaned_data["returned_on"],
                condition=form.cleaned_data["condition"],
                request=request,
            )
        except services.CaseworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Return recorded.")
            return redirect(_case_url(case, "devices"))
    return _form_page(request, case, form, f"Record the return of {device}", action="Record")


@require_http_methods(["GET", "POST"])
def placement_add(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    user = request.user
    case = selectors.case_get_for_user(user=user, public_id=public_id)
    form = forms.PlacementForm(
        request.POST or None, employers=selectors.employers_for(organisation=case.organisation)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.placement_record(
                actor=user,
                case=case,
                employer=data["employer"],
                employer_name=data["employer_name"],
                role_title=data["role_title"],
                weeks=data["weeks"],
                hours_per_week=data["hours_per_week"],
                hourly_wage=data["hourly_wage"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                outcome=data["outcome"],
                request=request,
            )
        except services.CaseworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Placement recorded.")
            return redirect(_case_url(case, "placements"))
    return _form_page(request, case, form, "Record a paid work placement", action="Record")


@require_http_methods(["GET", "POST"])
def placement_outcome(
    request: AuthenticatedRequest, public_id: str, placement_id: int
) -> HttpResponse:
    user = request.user
    case = selectors.case_get_for_user(user=user, public_id=public_id)
    placement = selectors.placement_get_for_case(case=case, placement_id=placement_id)
    form = forms.PlacementOutcomeForm(request.POST or None, initial={"outcome": placement.outcome})
    if request.method == "POST" and form.is_valid():
        services.placement_set_outcome(
            actor=user, placement=placement, outcome=form.cleaned_data["outcome"], request=request
        )
        messages.success(request, "Placement outcome recorded.")
        return redirect(_case_url(case, "placements"))
    return _form_page(request, case, form, f"Outcome of the placement: {placement}")


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
        except services.CaseworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Job start recorded. The 13- and 26-week checks are due.")
            return redirect(_case_url(case, "jobs"))
    return _form_page(request, case, form, "Record a job start", action="Record job start")


@require_GET
def checks_due(request: AuthenticatedRequest) -> HttpResponse:
    _require_caseworker(request)
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
        except services.CaseworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{check.weeks}-week check recorded.")
            return redirect(_case_url(case, "jobs"))
    return _form_page(
        request,
        case,
        form,
        f"Record the {check.weeks}-week check: {check.job_start}",
        action="Record check",
    )
