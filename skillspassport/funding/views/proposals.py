"""Funding pages: recording a proposal, assigning its assessors, an assessor's declaration and
scores, and the decision.

Views are thin: every object comes through its guarded `*_get_for_user` selector, writes go
through one service, and a service's FundingError is shown against the form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.accounts.roles import Capability
from skillspassport.funding import forms, selectors, services
from skillspassport.funding.models import Conflict, Decision


def _proposal_page(
    request: AuthenticatedRequest,
    proposal_id: int,
    form: forms.DecisionForm | None = None,
    reason_form: forms.ReasonForm | None = None,
) -> HttpResponse:
    user = request.user
    proposal = selectors.proposal_get_for_user(user=user, proposal_id=proposal_id)
    manages = selectors.may_manage_fund(user=user, fund=proposal.fund)
    own = selectors.assessment_of(user=user, proposal=proposal)
    conflicted = own if own is not None and own.conflict == Conflict.CONFLICT else None
    independent = services.independent_assessments(proposal)
    ready = independent >= proposal.fund.min_assessors
    may_act = manages and own is None
    can_decide = may_act and not proposal.decision and ready
    project = getattr(proposal, "project", None) if proposal.decision else None
    can_confirm = (
        may_act
        and proposal.decision == Decision.AWAITING_SECOND
        and proposal.decided_by_id != user.pk
    )
    can_reverse = may_act and bool(proposal.decision) and project is None
    errors = (form is not None and form.errors) or (reason_form is not None and reason_form.errors)
    return render(
        request,
        "funding/proposal.html",
        {
            "proposal": proposal,
            "appraisal": selectors.proposal_appraisal(proposal=proposal),
            "can_decide": can_decide,
            "can_confirm": can_confirm,
            "can_reverse": can_reverse,
            "manages": manages,
            "own": own,
            "conflicted": conflicted,
            "independent": independent,
            "ready": ready,
            "form": form or (forms.DecisionForm() if can_decide else None),
            "reason_form": reason_form or forms.ReasonForm(),
            "project": project,
            "remaining": selectors.fund_remaining(fund=proposal.fund),
            "history": selectors.decision_history(proposal=proposal),
            "declarations": selectors.declaration_history(proposal=proposal),
        },
        status=400 if errors else 200,
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


def _reasoned(request: AuthenticatedRequest, proposal_id: int, action: str) -> HttpResponse:
    user = request.user
    proposal = selectors.proposal_get_for_user(
        user=user, proposal_id=proposal_id, capability=Capability.MANAGE_FUNDING
    )
    form = forms.ReasonForm(request.POST)
    if form.is_valid():
        try:
            if action == "confirm":
                services.proposal_approval_confirm(
                    actor=user, proposal=proposal, reasons=form.cleaned_data["reasons"]
                )
                messages.success(request, "Approval confirmed.")
            else:
                services.proposal_decision_reverse(
                    actor=user, proposal=proposal, reason=form.cleaned_data["reasons"]
                )
                messages.success(request, "Decision reversed: the proposal can be decided again.")
        except services.FundingError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("funding:proposal", proposal_id=proposal.pk)
    return _proposal_page(request, proposal_id, reason_form=form)


@require_POST
def proposal_confirm(request: AuthenticatedRequest, proposal_id: int) -> HttpResponse:
    return _reasoned(request, proposal_id, "confirm")


@require_POST
def proposal_reverse(request: AuthenticatedRequest, proposal_id: int) -> HttpResponse:
    return _reasoned(request, proposal_id, "reverse")


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
        changing=bool(item.conflict),
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
                    reason=declaration.cleaned_data["reason"],
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
            "declarations": list(item.declarations.all()),
        },
        status=status,
    )
