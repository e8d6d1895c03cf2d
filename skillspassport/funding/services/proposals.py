"""Writes about proposals: recording one, assigning assessors, declarations of interest,
scores, and the decision.

The rules of the appraisal (conflicts of interest, one set of scores, money left in the fund) are
enforced here, inside a transaction, with the rows that matter locked.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from skillspassport.accounts.models import Organisation, User
from skillspassport.accounts.roles import Capability
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record
from skillspassport.core.money import pounds
from skillspassport.funding.models import (
    Assessment,
    Conflict,
    Criterion,
    Decision,
    DecisionAction,
    DecisionRecord,
    Declaration,
    Fund,
    Proposal,
    Score,
)
from skillspassport.funding.selectors import fund_remaining, funding_council_ids
from skillspassport.funding.services.funds import FundingError, money


@transaction.atomic
def proposal_submit(
    *,
    actor: User,
    fund: Fund,
    title: str,
    summary: str,
    amount_requested: Decimal,
    submitted_on: date,
    applicant_organisation: Organisation | None = None,
    applicant_name: str = "",
    target_outputs: str = "",
) -> Proposal:
    """Record a proposal received for the fund (the caller checked the actor manages it)."""
    if applicant_organisation is None and not applicant_name.strip():
        raise FundingError("Enter the applicant organisation or the applicant's name")
    if not fund.opens_on <= submitted_on <= fund.closes_on:
        raise FundingError(
            f"Date received must be while the fund is open: {fund.opens_on:%-d %B %Y} to "
            f"{fund.closes_on:%-d %B %Y}"
        )
    if submitted_on > timezone.localdate():
        raise FundingError("Date received must be today or in the past")
    return Proposal.objects.create(
        fund=fund,
        title=title,
        summary=summary,
        amount_requested=money(amount_requested, "Amount requested"),
        submitted_on=submitted_on,
        applicant_organisation=applicant_organisation,
        applicant_name="" if applicant_organisation else applicant_name.strip(),
        target_outputs=target_outputs,
    )


@transaction.atomic
def assessor_assign(*, actor: User, proposal: Proposal, assessor: User) -> Assessment:
    council_id = proposal.fund.council_id
    if council_id not in funding_council_ids(user=assessor, capability=Capability.ASSESS_PROPOSALS):
        raise FundingError(f"{assessor} cannot assess proposals for this fund")
    if assessor.pk == actor.pk:
        raise FundingError(
            "You cannot assign yourself: the person who manages a proposal's decision does not "
            "assess it"
        )
    if proposal.decision:
        raise FundingError("This proposal has been decided, so no more assessors can be added")
    if Assessment.objects.filter(proposal=proposal, assessor=assessor).exists():
        raise FundingError(f"{assessor} is already assessing this proposal")
    return Assessment.objects.create(proposal=proposal, assessor=assessor, assigned_by=actor)


@transaction.atomic
def conflict_declare(
    *,
    actor: User,
    assessment: Assessment,
    conflict: Conflict | str,
    details: str = "",
    reason: str = "",
) -> Assessment:
    """The assessor's declaration of interests; needed before scoring.

    Declarations are kept: changing one adds a new declaration, with the reason for the change,
    and the earlier one stays on the record (a withdrawn conflict is still seen to have been
    declared).
    """
    assessment = (
        Assessment.objects.select_for_update().select_related("proposal").get(pk=assessment.pk)
    )
    if assessment.assessor_id != actor.pk:
        raise FundingError("Only the assessor can declare their own interests")
    if assessment.proposal.decision:
        raise FundingError("This proposal has been decided, so declarations cannot change")
    if assessment.scored_at is not None:
        raise FundingError("You have scored this proposal, so your declaration cannot change")
    if conflict not in (Conflict.NONE, Conflict.CONFLICT):
        raise FundingError("Select whether you have a conflict of interest")
    details = details.strip() if conflict == Conflict.CONFLICT else ""
    if conflict == Conflict.CONFLICT and not details:
        raise FundingError("Describe your conflict of interest")
    reason = reason.strip()
    before = assessment.conflict
    if before and (before, assessment.conflict_details) == (conflict, details):
        return assessment  # the same declaration again: nothing changes
    if before and not reason:
        raise FundingError("Say why your declaration has changed: the earlier one stays on record")
    assessment.conflict = conflict
    assessment.conflict_details = details
    assessment.declared_at = timezone.now()
    assessment.save(update_fields=["conflict", "conflict_details", "declared_at"])
    Declaration.objects.create(
        assessment=assessment,
        conflict=conflict,
        details=details,
        reason=reason,
        declared_at=assessment.declared_at,
    )
    audit_record(
        user=actor,
        action=AuditAction.CONFLICT_DECLARED,
        organisation_id=_council_of(assessment.proposal),
        summary=f"Proposal {assessment.proposal_id}: {assessment.proposal.title}"
        + (f" (changed: {reason})" if before else ""),
        fields=["conflict_details"],
        changes={"conflict": (before, assessment.conflict)},
    )
    return assessment


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _council_of(proposal: Proposal) -> int | None:
    return Fund.objects.filter(pk=proposal.fund_id).values_list("council_id", flat=True).first()


@transaction.atomic
def scores_submit(
    *,
    actor: User,
    assessment: Assessment,
    scores: Mapping[int, tuple[int, str]],
) -> Assessment:
    """Save the assessor's one set of scores (criterion id -> (score, comment)), replacing any
    earlier set. Refused, with nothing saved, for a conflicted or undeclared assessor."""
    assessment = (
        Assessment.objects.select_for_update().select_related("proposal").get(pk=assessment.pk)
    )
    if assessment.assessor_id != actor.pk:
        raise FundingError("Only the assigned assessor can score this proposal")
    if assessment.conflict == Conflict.CONFLICT:
        raise FundingError(
            "You declared a conflict of interest in this proposal, so you cannot score it"
        )
    if assessment.conflict != Conflict.NONE:
        raise FundingError("Declare whether you have a conflict of interest before scoring")
    if assessment.proposal.decision:
        raise FundingError("This proposal has been decided, so scores cannot change")
    criteria = list(Criterion.objects.filter(fund_id=assessment.proposal.fund_id))
    missing = [c.name for c in criteria if c.pk not in scores]
    if missing:
        raise FundingError(f"Score every criterion: {', '.join(missing)} not scored")
    unknown = set(scores) - {c.pk for c in criteria}
    if unknown:
        raise FundingError("Scores were given for criteria that are not this fund's")
    for criterion in criteria:
        value = scores[criterion.pk][0]
        if isinstance(value, bool) or not isinstance(value, int):
            raise FundingError(f"{criterion.name} score must be a whole number")
        if not 0 <= value <= criterion.max_score:
            raise FundingError(
                f"{criterion.name} score must be between 0 and {criterion.max_score}"
            )
    earlier = {s.criterion_id: s.score for s in Score.objects.filter(assessment=assessment)}
    Score.objects.filter(assessment=assessment).delete()
    Score.objects.bulk_create(
        Score(
            assessment=assessment,
            criterion=criterion,
            score=scores[criterion.pk][0],
            comment=scores[criterion.pk][1].strip(),
        )
        for criterion in criteria
    )
    assessment.scored_at = timezone.now()
    assessment.save(update_fields=["scored_at"])
    audit_record(
        user=actor,
        action=AuditAction.ASSESSMENT_SCORED,
        organisation_id=_council_of(assessment.proposal),
        summary=f"Proposal {assessment.proposal_id}: {assessment.proposal.title}",
        fields=[f"comment: {c.name}" for c in criteria],
        changes={
            c.name: (earlier.get(c.pk), scores[c.pk][0])
            for c in criteria
            if earlier.get(c.pk) != scores[c.pk][0]
        },
    )
    return assessment


def independent_assessments(proposal: Proposal) -> int:
    """Assessors who declared no conflict of interest and gave their scores."""
    return Assessment.objects.filter(
        proposal=proposal, conflict=Conflict.NONE, scored_at__isnull=False
    ).count()


def _may_decide(actor: User, fund: Fund, proposal: Proposal) -> None:
    if fund.council_id not in funding_council_ids(user=actor, capability=Capability.MANAGE_FUNDING):
        raise FundingError("You do not manage this fund, so you cannot decide its proposals")
    assessment = Assessment.objects.filter(proposal=proposal, assessor=actor).first()
    if assessment is not None and assessment.conflict == Conflict.CONFLICT:
        raise FundingError(
            "You declared a conflict of interest in this proposal, so you cannot decide it"
        )
    if assessment is not None:
        raise FundingError("You are an assessor of this proposal, so someone else must decide it")


def _record(proposal: Proposal, action: str, actor: User, reasons: str) -> None:
    DecisionRecord.objects.create(
        proposal=proposal,
        action=action,
        amount=proposal.amount_approved,
        reasons=reasons,
        decided_by=actor,
    )


@transaction.atomic
def proposal_decide(
    *,
    actor: User,
    proposal: Proposal,
    decision: Decision | str,
    reasons: str,
    amount: Decimal | None = None,
) -> Proposal:
    """Approve (an amount no more than requested nor than what remains in the fund) or decline.

    Only after the fund's minimum number of independent assessors have scored it, and never by
    one of its assessors. An approval above the fund's approval limit holds the money but waits
    for a second approver (`proposal_approval_confirm`). The fund row is locked so that two
    approvals cannot both spend the same money.
    """
    fund = Fund.objects.select_for_update().get(pk=proposal.fund_id)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    before = (proposal.decision, _amount(proposal.amount_approved))
    _may_decide(actor, fund, proposal)
    if proposal.decision:
        raise FundingError(f"This proposal was already {proposal.get_decision_display().lower()}")
    independent = independent_assessments(proposal)
    if independent < fund.min_assessors:
        raise FundingError(
            f"This fund needs {fund.min_assessors} independent assessments before a decision; "
            f"this proposal has {independent}"
        )
    reasons = reasons.strip()
    if not reasons:
        raise FundingError("Enter the reasons for the decision")
    action = DecisionAction.DECLINED
    if decision == Decision.APPROVED:
        if amount is None:
            raise FundingError("Enter the amount approved")
        amount = money(amount, "Amount approved")
        if amount > proposal.amount_requested:
            raise FundingError(
                f"Amount approved must be no more than the {pounds(proposal.amount_requested)} "
                "requested"
            )
        remaining = fund_remaining(fund=fund)
        if amount > remaining:
            raise FundingError(
                f"Amount approved must be no more than the {pounds(remaining)} left in the fund"
            )
        proposal.amount_approved = amount
        if fund.approval_limit is not None and amount > fund.approval_limit:
            decision, action = Decision.AWAITING_SECOND, DecisionAction.FIRST_APPROVAL
        else:
            action = DecisionAction.APPROVED
    elif decision == Decision.DECLINED:
        proposal.amount_approved = None
    else:
        raise FundingError("Select approve or decline")
    proposal.decision = decision
    proposal.decision_reasons = reasons
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.save(
        update_fields=[
            "decision",
            "amount_approved",
            "decision_reasons",
            "decided_by",
            "decided_at",
        ]
    )
    _record(proposal, action, actor, reasons)
    _audit_decision(actor, fund, proposal, before)
    return proposal


@transaction.atomic
def proposal_approval_confirm(*, actor: User, proposal: Proposal, reasons: str) -> Proposal:
    """A second approver confirms an approval above the fund's approval limit."""
    fund = Fund.objects.select_for_update().get(pk=proposal.fund_id)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    before = (proposal.decision, _amount(proposal.amount_approved))
    _may_decide(actor, fund, proposal)
    if proposal.decision != Decision.AWAITING_SECOND:
        raise FundingError("This proposal is not waiting for a second approver")
    if proposal.decided_by_id == actor.pk:
        raise FundingError("A second approver must be someone other than the first")
    reasons = reasons.strip()
    if not reasons:
        raise FundingError("Enter the reasons for confirming the approval")
    proposal.decision = Decision.APPROVED
    proposal.second_approved_by = actor
    proposal.second_approved_at = timezone.now()
    proposal.save(update_fields=["decision", "second_approved_by", "second_approved_at"])
    _record(proposal, DecisionAction.CONFIRMED, actor, reasons)
    _audit_decision(actor, fund, proposal, before)
    return proposal


@transaction.atomic
def proposal_decision_reverse(*, actor: User, proposal: Proposal, reason: str) -> Proposal:
    """Undo a decision (or a first approval), with the reason; the proposal is assessed again
    and decided afresh. Not once a project has been set up from it."""
    fund = Fund.objects.select_for_update().get(pk=proposal.fund_id)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    before = (proposal.decision, _amount(proposal.amount_approved))
    _may_decide(actor, fund, proposal)
    if not proposal.decision:
        raise FundingError("This proposal has not been decided yet")
    if hasattr(proposal, "project"):
        raise FundingError(
            "A project has been set up from this proposal, so its decision cannot be reversed"
        )
    reason = reason.strip()
    if not reason:
        raise FundingError("Enter the reason for reversing the decision")
    proposal.decision = Decision.PENDING
    proposal.amount_approved = None
    proposal.decided_by = None
    proposal.decided_at = None
    proposal.decision_reasons = ""
    proposal.second_approved_by = None
    proposal.second_approved_at = None
    proposal.save()
    _record(proposal, DecisionAction.REVERSED, actor, reason)
    _audit_decision(actor, fund, proposal, before)
    return proposal


def _audit_decision(
    actor: User, fund: Fund, proposal: Proposal, before: tuple[str, str | None]
) -> None:
    audit_record(
        user=actor,
        action=AuditAction.FUNDING_DECIDED,
        organisation_id=fund.council_id,
        summary=f"Proposal {proposal.pk}: {proposal.title}",
        fields=["decision_reasons"],
        changes={
            "decision": (before[0], proposal.decision),
            "amount_approved": (before[1], _amount(proposal.amount_approved)),
        },
    )
