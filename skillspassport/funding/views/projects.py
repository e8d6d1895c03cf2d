"""Funding pages: funds and projects, appraisal, my assessments, project outputs and drill-downs.

Views are thin: every object comes through its guarded `*_get_for_user` selector, writes go
through one service, and a service's FundingError is shown against the form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.accounts.roles import Capability
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_shown
from skillspassport.core.services import AlreadySubmitted, submitted_once
from skillspassport.funding import forms, selectors, services
from skillspassport.funding.models import Conflict, MilestoneStatus

DRILL_PAGE_SIZE = 50


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


def _proposal_page(
    request: AuthenticatedRequest, proposal_id: int, form: forms.DecisionForm | None = None
) -> HttpResponse:
    user = request.user
    proposal = selectors.proposal_get_for_user(user=user, proposal_id=proposal_id)
    manages = selectors.may_manage_fund(user=user, fund=proposal.fund)
    conflicted = selectors.conflicted_assessment(user=user, proposal=proposal)
    can_decide = manages and not proposal.decision and conflicted is None
    project = getattr(proposal, "project", None) if proposal.decision else None
    return render(
        request,
        "funding/proposal.html",
        {
            "proposal": proposal,
            "appraisal": selectors.proposal_appraisal(proposal=proposal),
            "can_decide": can_decide,
            "manages": manages,
            "conflicted": conflicted,
            "form": form or (forms.DecisionForm() if can_decide else None),
            "project": project,
            "remaining": selectors.fund_remaining(fund=proposal.fund),
        },
        status=400 if form is not None and form.errors else 200,
    )


@require_http_methods(["GET"])
def proposal_detail(request: AuthenticatedRequest, proposal_id: int) -> HttpResponse:
    return _proposal_page(request, proposal_id)


@require_POST
def proposal_decide(request: AuthenticatedRequest, proposal_id: int) -> HttpResponse:
    user = request.user
    proposal = selectors.proposal_get_for_user(
        user=user, proposal_id=proposal_id, capability=Capability.MANAGE_FUNDING
    )
    form = forms.DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_decide(
                actor=user,
                proposal=proposal,
                decision=form.cleaned_data["decision"],
                amount=form.cleaned_data["amount"],
                reasons=form.cleaned_data["reasons"],
            )
        except services.FundingError as exc:
            form.add_error("amount" if str(exc).startswith("Amount") else None, str(exc))
        else:
            proposal.refresh_from_db()
            messages.success(request, f"Proposal {proposal.get_decision_display().lower()}.")
            return redirect("funding:proposal", proposal_id=proposal.pk)
    return _proposal_page(request, proposal_id, form)


@require_http_methods(["GET"])
def my_assessments(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not selectors.funding_council_ids(user=user, capability=Capability.ASSESS_PROPOSALS):
        raise PermissionDenied
    return render(
        request,
        "funding/my_assessments.html",
        {"assessments": selectors.assessments_for_user(user=user)},
    )


@require_http_methods(["GET", "POST"])
def assessment(request: AuthenticatedRequest, assessment_id: int) -> HttpResponse:
    """Declare interests, then score: two forms on one page, told apart by the button pressed."""
    user = request.user
    item = selectors.assessment_get_for_user(user=user, assessment_id=assessment_id)
    criteria = list(selectors.criteria_of(fund_id=item.proposal.fund_id))
    declaration = forms.DeclarationForm(
        request.POST if "declare" in request.POST else None,
        initial={"conflict": item.conflict, "details": item.conflict_details},
        prefix="declare",
    )
    existing = {s.criterion_id: s for s in item.scores.all()}
    initial: dict[str, Any] = {}
    for criterion_id, score in existing.items():
        initial[f"score_{criterion_id}"] = score.score
        initial[f"comment_{criterion_id}"] = score.comment
    scoring = forms.ScoresForm(
        request.POST if "score" in request.POST else None,
        criteria=criteria,
        initial=initial,
        prefix="score",
    )
    if request.method == "POST":
        try:
            if "declare" in request.POST and declaration.is_valid():
                services.conflict_declare(
                    actor=user,
                    assessment=item,
                    conflict=declaration.cleaned_data["conflict"],
                    details=declaration.cleaned_data["details"],
                )
                messages.success(request, "Declaration saved.")
                return redirect("funding:assessment", assessment_id=item.pk)
            if "score" in request.POST and scoring.is_valid():
                services.scores_submit(actor=user, assessment=item, scores=scoring.scores())
                messages.success(request, "Scores saved.")
                return redirect("funding:assessment", assessment_id=item.pk)
        except services.FundingError as exc:
            target = declaration if "declare" in request.POST else scoring
            target.add_error(None, str(exc))
    status = 400 if declaration.errors or scoring.errors else 200
    return render(
        request,
        "funding/assessment.html",
        {
            "assessment": item,
            "proposal": item.proposal,
            "declaration": declaration,
            "scoring": scoring,
            "may_score": item.conflict == Conflict.NONE and not item.proposal.decision,
            "may_declare": item.scored_at is None and not item.proposal.decision,
        },
        status=status,
    )


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


@require_http_methods(["GET", "POST"])
def proposal_create(request: AuthenticatedRequest, fund_id: int) -> HttpResponse:
    user = request.user
    fund = selectors.fund_get_for_user(
        user=user, fund_id=fund_id, capability=Capability.MANAGE_FUNDING
    )
    form = forms.ProposalForm(
        request.POST if request.method == "POST" else None,
        organisations=selectors.scheme_organisations(council=fund.council),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.proposal_submit(
                actor=user,
                fund=fund,
                title=data["title"],
                summary=data["summary"],
                amount_requested=data["amount_requested"],
                submitted_on=data["submitted_on"],
                applicant_organisation=data["applicant_organisation"],
                applicant_name=data["applicant_name"],
                target_outputs=data["target_outputs"],
            )
        except services.FundingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Proposal recorded. Now assign its assessors.")
            return redirect("funding:proposal", proposal_id=proposal.pk)
    return render(
        request,
        "funding/proposal_form.html",
        {"fund": fund, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def assessor_assign(request: AuthenticatedRequest, proposal_id: int) -> HttpResponse:
    user = request.user
    proposal = selectors.proposal_get_for_user(
        user=user, proposal_id=proposal_id, capability=Capability.MANAGE_FUNDING
    )
    form = forms.AssessorForm(
        request.POST if request.method == "POST" else None,
        assessors=selectors.eligible_assessors(proposal=proposal),
    )
    if request.method == "POST" and form.is_valid():
        assessor = form.cleaned_data["assessor"]
        try:
            services.assessor_assign(actor=user, proposal=proposal, assessor=assessor)
        except services.FundingError as exc:
            form.add_error("assessor", str(exc))
        else:
            messages.success(request, f"{assessor} assigned. They declare interests, then score.")
            return redirect("funding:proposal", proposal_id=proposal.pk)
    return render(
        request,
        "funding/assessor_form.html",
        {"proposal": proposal, "form": form},
        status=400 if form.errors else 200,
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
            )
        except services.FundingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Fund created.")
            return redirect("funding:fund", fund_id=fund.pk)
    return render(
        request, "funding/fund_form.html", {"form": form}, status=400 if form.errors else 200
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
