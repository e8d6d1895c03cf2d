"""Funding pages: the funding home page, a fund with its proposals, and creating a fund.

Views are thin: every object comes through its guarded `*_get_for_user` selector, writes go
through one service, and a service's FundingError is shown against the form.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.accounts.roles import Capability
from skillspassport.funding import forms, selectors, services


@require_http_methods(["GET"])
def index(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not selectors.may_use_funding(user):
        raise PermissionDenied
    return render(
        request,
        "funding/index.html",
        {
            "funds": selectors.funds_for_user(user=user),
            "projects": selectors.projects_for_user(user=user),
            "assessments": selectors.assessments_for_user(user=user)[:5],
            "can_create_fund": bool(
                selectors.funding_council_ids(user=user, capability=Capability.MANAGE_FUNDING)
            ),
        },
    )


@require_http_methods(["GET"])
def fund_detail(request: AuthenticatedRequest, fund_id: int) -> HttpResponse:
    user = request.user
    fund = selectors.fund_get_for_user(user=user, fund_id=fund_id)
    criteria = list(fund.criteria.all())
    return render(
        request,
        "funding/fund.html",
        {
            "fund": fund,
            "criteria": criteria,
            "proposals": selectors.proposals_for_fund(user=user, fund=fund),
            "remaining": fund.total_budget - fund.committed,  # type: ignore[attr-defined]
            "manages": selectors.may_manage_fund(user=user, fund=fund),
            "maximum": sum(c.weight for c in criteria),
            "projects": fund.projects.select_related("lead_organisation")
            if selectors.may_manage_fund(user=user, fund=fund)
            else [],
        },
    )


@require_http_methods(["GET", "POST"])
def fund_create(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not selectors.funding_council_ids(user=user, capability=Capability.MANAGE_FUNDING):
        raise PermissionDenied
    form = forms.FundForm(
        request.POST if request.method == "POST" else None,
        councils=selectors.councils_for_funding(user=user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            fund = services.fund_create(
                actor=user,
                council=data["council"],
                name=data["name"],
                funder=data["funder"],
                total_budget=data["total_budget"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                criteria=form.criteria(),
                min_assessors=data["min_assessors"],
                approval_limit=data["approval_limit"],
            )
        except services.FundingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Fund created.")
            return redirect("funding:fund", fund_id=fund.pk)
    return render(
        request, "funding/fund_form.html", {"form": form}, status=400 if form.errors else 200
    )
