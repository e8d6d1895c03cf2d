"""Funding pages: a project from an approved proposal, its agreement and milestones, spend,
and its outputs with their drill-downs.

Views are thin: every object comes through its guarded `*_get_for_user` selector, writes go
through one service, and a service's FundingError is shown against the form.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.accounts.roles import Capability
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_shown
from skillspassport.core.services import AlreadySubmitted, submitted_once
from skillspassport.funding import forms, selectors, services
from skillspassport.funding.models import MilestoneStatus

DRILL_PAGE_SIZE = 50


@require_http_methods(["GET"])
def project_detail(request: AuthenticatedRequest, project_id: int) -> HttpResponse:
    user = request.user
    project = selectors.project_get_for_user(user=user, project_id=project_id)
    spent = project.spent  # type: ignore[attr-defined]
    agreement = getattr(project, "agreement", None)
    return render(
        request,
        "funding/project.html",
        {
            "project": project,
            "outputs": selectors.project_outputs(project=project),
            "agreement": agreement,
            "milestones": selectors.milestones_of(project=project) if agreement else [],
            "spend": selectors.spend_of(project=project),
            "spent": spent,
            "left": project.budget - spent,
            "spent_percent": round(spent * 100 / project.budget),
            "near_budget": spent >= project.budget * selectors.SPEND_WARNING_SHARE,
        },
    )


@require_http_methods(["GET", "POST"])
def project_create(request: AuthenticatedRequest, proposal_id: int) -> HttpResponse:
    """A project from an approved proposal."""
    user = request.user
    proposal = selectors.proposal_get_for_user(
        user=user, proposal_id=proposal_id, capability=Capability.MANAGE_FUNDING
    )
    existing = getattr(proposal, "project", None)
    if existing is not None:
        messages.info(request, "This proposal already has a project.")
        return redirect("funding:project", project_id=existing.pk)
    council = proposal.fund.council
    form = forms.ProjectForm(
        request.POST if request.method == "POST" else None,
        organisations=selectors.scheme_organisations(council=council),
        plans=selectors.targeting_plans_for(council=council),
        initial={
            "name": proposal.title[:200],
            "lead_organisation": proposal.applicant_organisation_id,
            "budget": proposal.amount_approved,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = services.project_create(
                actor=user,
                fund=proposal.fund,
                proposal=proposal,
                name=data["name"],
                lead_organisation=data["lead_organisation"],
                delivery_organisations=data["delivery_organisations"],
                budget=data["budget"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                targeting_plan=data["targeting_plan"],
                targets=form.targets(),
            )
        except services.FundingError as exc:
            form.add_error("budget" if str(exc).startswith("Budget") else None, str(exc))
        else:
            messages.success(request, "Project created.")
            return redirect("funding:project", project_id=project.pk)
    return render(
        request,
        "funding/project_form.html",
        {"proposal": proposal, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def agreement_record(request: AuthenticatedRequest, project_id: int) -> HttpResponse:
    user = request.user
    project = selectors.project_get_for_user(user=user, project_id=project_id)
    if hasattr(project, "agreement"):
        messages.info(request, "This project already has an agreement.")
        return redirect(reverse("funding:project", args=[project.pk]) + "#agreement")
    form = forms.AgreementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.agreement_record(
                actor=user,
                project=project,
                signed_on=data["signed_on"],
                value=data["value"],
                reference=data["reference"],
                milestones=form.milestones(),
            )
        except services.FundingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Agreement recorded.")
            return redirect(reverse("funding:project", args=[project.pk]) + "#agreement")
    return render(
        request,
        "funding/agreement_form.html",
        {"project": project, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def milestone_complete(
    request: AuthenticatedRequest, project_id: int, milestone_id: int
) -> HttpResponse:
    user = request.user
    project = selectors.project_get_for_user(user=user, project_id=project_id)
    milestone = selectors.milestone_get_for_project(project=project, milestone_id=milestone_id)
    form = forms.MilestoneCompleteForm(request.POST if request.method == "POST" else None)
    if milestone.status == MilestoneStatus.COMPLETED:
        messages.info(request, "That milestone is already completed.")
        return redirect(reverse("funding:project", args=[project.pk]) + "#agreement")
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_complete(
                actor=user, milestone=milestone, completed_on=form.cleaned_data["completed_on"]
            )
        except services.FundingError as exc:
            form.add_error("completed_on", str(exc))
        else:
            messages.success(request, "Milestone completed.")
            return redirect(reverse("funding:project", args=[project.pk]) + "#agreement")
    return render(
        request,
        "funding/milestone_form.html",
        {"project": project, "milestone": milestone, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def spend_record(request: AuthenticatedRequest, project_id: int) -> HttpResponse:
    user = request.user
    project = selectors.project_get_for_user(user=user, project_id=project_id)
    form = forms.SpendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with submitted_once(token=data["submission_token"], user=user) as claim:
                services.spend_record(
                    actor=user,
                    project=project,
                    spent_on=data["spent_on"],
                    amount=data["amount"],
                    category=data["category"],
                    description=data["description"],
                )
                claim.result_url = reverse("funding:project", args=[project.pk]) + "#spend"
        except AlreadySubmitted as done:
            messages.info(request, "That spend was already recorded.")
            return redirect(done.result_url)
        except services.FundingError as exc:
            form.add_error("amount", str(exc))
        else:
            messages.success(request, "Spend recorded.")
            return redirect(claim.result_url)
    return render(
        request,
        "funding/spend_form.html",
        {"project": project, "form": form, "left": project.budget - project.spent},  # type: ignore[attr-defined]
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET"])
def output_records(request: AuthenticatedRequest, project_id: int, measure: str) -> HttpResponse:
    user = request.user
    project = selectors.project_get_for_user(user=user, project_id=project_id)
    drill = selectors.output_records_for_user(
        user=user, project=project, measure=selectors.measure_get(measure)
    )
    page = Paginator(drill.visible, DRILL_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        (
            selectors.record_resident(record, drill.measure),
            selectors.record_date(record, drill.measure),
            drill.measure.describe(record),
        )
        for record in page
    ]
    audit_shown(
        user=user,
        residents=[row[0] for row in rows],
        action=AuditAction.LISTED,
        request=request,
        summary=f"Funding outputs: {project.name}, {drill.measure.label}, page {page.number}",
    )
    return render(
        request,
        "funding/output_records.html",
        {"project": project, "drill": drill, "page": page, "rows": rows},
    )
