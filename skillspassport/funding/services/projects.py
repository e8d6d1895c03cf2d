"""Writes about projects: creating one with its output targets, the funding agreement and its
milestones, completing a milestone, and recording spend within the budget.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from skillspassport.accounts.models import Organisation, User
from skillspassport.accounts.roles import Capability
from skillspassport.core.money import pounds
from skillspassport.funding.models import (
    Agreement,
    Decision,
    Fund,
    Milestone,
    MilestoneStatus,
    Project,
    Proposal,
    Spend,
    SpendCategory,
    Target,
)
from skillspassport.funding.outputs import MEASURES
from skillspassport.funding.selectors import fund_remaining, funding_council_ids, project_spent
from skillspassport.funding.services.funds import FundingError, money
from skillspassport.targeting.models import TargetingPlan


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
    budget = money(budget, "Budget")
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
                f"Budget must be no more than the {pounds(proposal.amount_approved)} approved"
            )
    else:
        remaining = fund_remaining(fund=fund)
        if budget > remaining:
            raise FundingError(
                f"Budget must be no more than the {pounds(remaining)} left in the fund"
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
    value = money(value, "Agreement value")
    if value > project.budget:
        raise FundingError(
            f"Agreement value must be no more than the project budget of {pounds(project.budget)}"
        )
    if Agreement.objects.filter(project=project).exists():
        raise FundingError("This project already has an agreement")
    for m in milestones:
        if not project.starts_on <= m.due_on <= project.ends_on:
            raise FundingError(
                f"Milestone “{m.description}” must be due while the project runs: "
                f"{project.starts_on:%-d %B %Y} to {project.ends_on:%-d %B %Y}"
            )
    payments = sum((Decimal(m.payment_amount) for m in milestones), Decimal(0))
    if payments > value:
        raise FundingError(
            f"Milestone payments add up to {pounds(payments)}, more than the agreement value"
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
    project = milestone.agreement.project
    if completed_on < project.starts_on:
        raise FundingError(
            "Date completed must be on or after the project started "
            f"({project.starts_on:%-d %B %Y})"
        )
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
    amount = money(amount, "Amount")
    if category not in SpendCategory.values:
        raise FundingError("Select a category of spend")
    description = description.strip()
    if not description:
        raise FundingError("Enter a description of the spend")
    if spent_on > timezone.localdate():
        raise FundingError("Date of spend must be today or in the past")
    if not project.starts_on <= spent_on <= project.ends_on:
        raise FundingError(
            f"Date of spend must be while the project runs: {project.starts_on:%-d %B %Y} to "
            f"{project.ends_on:%-d %B %Y}"
        )
    spent = project_spent(project=project)
    if spent + amount > project.budget:
        raise FundingError(
            f"This would take spend to {pounds(spent + amount)}, over the project budget of "
            f"{pounds(project.budget)} ({pounds(project.budget - spent)} left). "
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
