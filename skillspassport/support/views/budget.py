"""Personal budgets: recording and cancelling a spend, its receipt, the approvals queue and a
decision, and the council's budget policy."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from skillspassport.accounts.access import acting_council
from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.accounts.models import OrganisationKind
from skillspassport.accounts.roles import Capability
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record, audit_shown
from skillspassport.core.money import pounds
from skillspassport.support import forms, selectors, services
from skillspassport.support.models import SpendStatus
from skillspassport.support.views.shared import add_service_error, case_form_page, case_url


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
            add_service_error(form, exc)
        else:
            if spend.status == SpendStatus.APPROVED:
                messages.success(request, f"{pounds(spend.amount)} spend recorded and approved.")
            else:
                messages.success(
                    request,
                    f"{pounds(spend.amount)} spend recorded. It is above "
                    f"{pounds(balance.threshold)}, so it is awaiting approval.",
                )
            return redirect(case_url(case, "budget"))
    return case_form_page(
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
        messages.success(request, f"{pounds(spend.amount)} spend cancelled.")
    return redirect(case_url(case, "budget"))


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
        summary=f"Receipt for {pounds(spend.amount)} {spend.get_category_display().lower()}",
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
    decisions = selectors.recent_decisions_for(user=user)
    audit_record(user=user, action=AuditAction.LISTED, summary="Opened the budget approvals queue")
    audit_shown(
        user=user,
        residents=[s.ledger.resident for s in spends]
        + [d.spend.ledger.resident for d in decisions],
        action=AuditAction.LISTED,
        request=request,
        summary="Budget approvals queue",
    )
    return render(
        request,
        "support/approvals.html",
        {
            "spends": spends,
            "decisions": decisions,
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
            messages.success(request, f"{pounds(spend.amount)} spend {done}.")
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
            "history": selectors.decisions_on(spend=spend),
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
