"""Writes about funds, proposals, appraisal, projects, agreements and spend.

Callers (views) have fetched the objects through the guarded selectors; the rules that are about
the appraisal itself (conflicts of interest, one set of scores, money left in the fund, spend
within budget) are enforced here, inside a transaction, with the rows that matter locked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from skillspassport.accounts.models import Organisation, User
from skillspassport.accounts.roles import Capability
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record
from skillspassport.funding.models import (
    Agreement,
    Assessment,
    Conflict,
    Criterion,
    Decision,
    Fund,
    Milestone,
    MilestoneStatus,
    Project,
    Proposal,
    Score,
    Spend,
    SpendCategory,
    Target,
)
from skillspassport.funding.outputs import MEASURES
from skillspassport.funding.selectors import fund_remaining, funding_council_ids, project_spent
from skillspassport.targeting.models import TargetingPlan


class FundingError(ValueError):
    """A funding rule refused the change; the message is written for the user."""


def _money(value: object, label: str) -> Decimal:
    """A positive amount of money with at most 2 decimal places, or a FundingError."""
    if isinstance(value, float):
        raise FundingError(f"{label} must be a number of pounds and pence")
    try:
        amount = Decimal(str(value).strip().replace(",", "").removeprefix("£"))
    except (InvalidOperation, ValueError) as exc:
        raise FundingError(f"{label} must be a number of pounds and pence") from exc
    if not amount.is_finite():
        raise FundingError(f"{label} must be a number of pounds and pence")
    if amount <= 0:
        raise FundingError(f"{label} must be more than £0")
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise FundingError(f"{label} must be in pounds and pence, with no more than 2 decimals")
    if amount >= Decimal("10000000000"):
        raise FundingError(f"{label} is too large")
    return amount


def _pounds(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


# --- funds and proposals ------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionSpec:
    name: str
    weight: int
    max_score: int
    guidance: str = ""


@transaction.atomic
def fund_create(
    *,
    actor: User,
    council: Organisation,
    name: str,
    funder: str,
    total_budget: Decimal,
    opens_on: date,
    closes_on: date,
    criteria: Sequence[CriterionSpec],
) -> Fund:
    if council.pk not in funding_council_ids(user=actor, capability=Capability.MANAGE_FUNDING):
        raise FundingError("You do not manage funding for this council")
    if closes_on < opens_on:
        raise FundingError("The closing date must be on or after the opening date")
    if not criteria:
        raise FundingError("A fund needs at least one appraisal criterion")
    names = [c.name.strip().casefold() for c in criteria]
    if len(set(names)) != len(names):
        raise FundingError("Each criterion needs a different name")
    for spec in criteria:
        if spec.weight < 1 or spec.max_score < 1:
            raise FundingError(f"{spec.name}: weight and maximum score must be at least 1")
    if Fund.objects.filter(council=council, name=name).exists():
        raise FundingError(f"{council} already has a fund called {name}")
    fund = Fund.objects.create(
        council=council,
        name=name,
        funder=funder,
        total_budget=_money(total_budget, "Total budget"),
        opens_on=opens_on,
        closes_on=closes_on,
    )
    Criterion.objects.bulk_create(
        Criterion(
            fund=fund,
            name=spec.name.strip(),
            guidance=spec.guidance,
            weight=spec.weight,
            max_score=spec.max_score,
            position=i,
        )
        for i, spec in enumerate(criteria)
    )
    return fund


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
    return Proposal.objects.create(
        fund=fund,
        title=title,
        summary=summary,
        amount_requested=_money(amount_requested, "Amount requested"),
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
    if proposal.decision:
        raise FundingError("This proposal has been decided, so no more assessors can be added")
    if Assessment.objects.filter(proposal=proposal, assessor=assessor).exists():
        raise FundingError(f"{assessor} is already assessing this proposal")
    return Assessment.objects.create(proposal=proposal, assessor=assessor, assigned_by=actor)


@transaction.atomic
def conflict_declare(
    *, actor: User, assessment: Assessment, conflict: Conflict | str, details: str = ""
) -> Assessment:
    """The assessor's declaration of interests; needed before scoring."""
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
    details = details.strip()
    if conflict == Conflict.CONFLICT and not details:
        raise FundingError("Describe your conflict of interest")
    before = assessment.conflict
    assessment.conflict = conflict
    assessment.conflict_details = details if conflict == Conflict.CONFLICT else ""
    assessment.declared_at = timezone.now()
    assessment.save(update_fields=["conflict", "conflict_details", "declared_at"])
    audit_record(
        user=actor,
        action=AuditAction.CONFLICT_DECLARED,
        organisation_id=_council_of(assessment.proposal),
        summary=f"Proposal {assessment.proposal_id}: {assessment.proposal.title}",
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

    The fund row is locked so that two approvals cannot both spend the same money.
    """
    fund = Fund.objects.select_for_update().get(pk=proposal.fund_id)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    before = (proposal.decision, _amount(proposal.amount_approved))
    if fund.council_id not in funding_council_ids(user=actor, capability=Capability.MANAGE_FUNDING):
        raise FundingError("You do not manage this fund, so you cannot decide its proposals")
    if Assessment.objects.filter(
        proposal=proposal, assessor=actor, conflict=Conflict.CONFLICT
    ).exists():
        raise FundingError(
            "You declared a conflict of interest in this proposal, so you cannot decide it"
        )
    if proposal.decision:
        raise FundingError(f"This proposal was already {proposal.get_decision_display().lower()}")
    reasons = reasons.strip()
    if not reasons:
        raise FundingError("Enter the reasons for the decision")
    if decision == Decision.APPROVED:
        if amount is None:
            raise FundingError("Enter the amount approved")
        amount = _money(amount, "Amount approved")
        if amount > proposal.amount_requested:
            raise FundingError(
                f"Amount approved must be no more than the {_pounds(proposal.amount_requested)} "
                "requested"
            )
        remaining = fund_remaining(fund=fund)
        if amount > remaining:
            raise FundingError(
                f"Amount approved must be no more than the {_pounds(remaining)} left in the fund"
            )
        proposal.amount_approved = amount
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
    return proposal


# --- projects -----------------------------------------------------------------------------------


@transaction.atomic
def project_create(
    *,
    actor: User,
    fund: Fund,
    name: str,
    lead_organisation: Organisation,
    delivery_organisations: Iterable[Organisation],
    budget: Decimal,
    starts_on: date,
    ends_on: date,
    proposal: Proposal | None = None,
    targeting_plan: TargetingPlan | None = None,
    targets: Mapping[str, int] | None = None,
) -> Project:
    """A project from an approved proposal (budget up to the amount approved) or directly (budget
    up to what remains in the fund)."""
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    if fund.council_id not in funding_council_ids(user=actor, capability=Capability.MANAGE_FUNDING):
        raise FundingError("You do not manage this fund")
    budget = _money(budget, "Budget")
    if ends_on < starts_on:
        raise FundingError("The end date must be on or after the start date")
    delivery = list(delivery_organisations)
    if not delivery:
        raise FundingError("Choose at least one delivery organisation")
    if proposal is not None:
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.fund_id != fund.pk:
            raise FundingError("The proposal is not for this fund")
        if proposal.decision != Decision.APPROVED or proposal.amount_approved is None:
            raise FundingError("Only an approved proposal can become a project")
        if Project.objects.filter(proposal=proposal).exists():
            raise FundingError("This proposal already has a project")
        if budget > proposal.amount_approved:
            raise FundingError(
                f"Budget must be no more than the {_pounds(proposal.amount_approved)} approved"
            )
    else:
        remaining = fund_remaining(fund=fund)
        if budget > remaining:
            raise FundingError(
                f"Budget must be no more than the {_pounds(remaining)} left in the fund"
            )
    if targeting_plan is not None and targeting_plan.council_id != fund.council_id:
        raise FundingError("The targeting plan belongs to another council")
    if Project.objects.filter(fund=fund, name=name).exists():
        raise FundingError(f"The fund already has a project called {name}")
    for code, value in (targets or {}).items():
        if code not in MEASURES:
            raise FundingError(f"{code} is not an output measure")
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise FundingError(
                f"The target for {MEASURES[code].label} must be a whole number above 0"
            )
    project = Project.objects.create(
        fund=fund,
        proposal=proposal,
        name=name,
        lead_organisation=lead_organisation,
        budget=budget,
        starts_on=starts_on,
        ends_on=ends_on,
        targeting_plan=targeting_plan,
        created_by=actor,
    )
    project.delivery_organisations.set(delivery)
    Target.objects.bulk_create(
        Target(project=project, measure=code, target=value)
        for code, value in (targets or {}).items()
    )
    return project


@dataclass(frozen=True)
class MilestoneSpec:
    description: str
    due_on: date
    payment_amount: Decimal


@transaction.atomic
def agreement_record(
    *,
    actor: User,
    project: Project,
    signed_on: date,
    value: Decimal,
    milestones: Sequence[MilestoneSpec],
    reference: str = "",
) -> Agreement:
    """The signed funding agreement: its value is within the budget and the milestone payments
    add up to no more than its value."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    value = _money(value, "Agreement value")
    if value > project.budget:
        raise FundingError(
            f"Agreement value must be no more than the project budget of {_pounds(project.budget)}"
        )
    if Agreement.objects.filter(project=project).exists():
        raise FundingError("This project already has an agreement")
    payments = sum((Decimal(m.payment_amount) for m in milestones), Decimal(0))
    if payments > value:
        raise FundingError(
            f"Milestone payments add up to {_pounds(payments)}, more than the agreement value"
        )
    agreement = Agreement.objects.create(
        project=project, signed_on=signed_on, value=value, reference=reference
    )
    Milestone.objects.bulk_create(
        Milestone(
            agreement=agreement,
            description=m.description,
            due_on=m.due_on,
            payment_amount=m.payment_amount,
        )
        for m in milestones
    )
    return agreement


@transaction.atomic
def milestone_complete(*, actor: User, milestone: Milestone, completed_on: date) -> Milestone:
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.status == MilestoneStatus.COMPLETED:
        raise FundingError("This milestone is already completed")
    if completed_on > timezone.localdate():
        raise FundingError("Date completed must be today or in the past")
    milestone.status = MilestoneStatus.COMPLETED
    milestone.completed_on = completed_on
    milestone.save(update_fields=["status", "completed_on"])
    return milestone


@transaction.atomic
def spend_record(
    *,
    actor: User,
    project: Project,
    spent_on: date,
    amount: Decimal | str,
    category: SpendCategory | str,
    description: str,
) -> Spend:
    """A line of spend. Refused if it would take total spend over the project's budget: the
    project row is locked, so two lines recorded at once cannot together overspend."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    amount = _money(amount, "Amount")
    if category not in SpendCategory.values:
        raise FundingError("Select a category of spend")
    description = description.strip()
    if not description:
        raise FundingError("Enter a description of the spend")
    if spent_on > timezone.localdate():
        raise FundingError("Date of spend must be today or in the past")
    spent = project_spent(project=project)
    if spent + amount > project.budget:
        raise FundingError(
            f"This would take spend to {_pounds(spent + amount)}, over the project budget of "
            f"{_pounds(project.budget)} ({_pounds(project.budget - spent)} left). "
            "Record a smaller amount or agree a budget change first"
        )
    return Spend.objects.create(
        project=project,
        spent_on=spent_on,
        amount=amount,
        category=category,
        description=description,
        recorded_by=actor,
    )
