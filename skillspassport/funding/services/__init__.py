"""Writes about funding: funds and their criteria (funds), proposals with their assessment and
decision (proposals), and projects with their agreement, milestones, spend and targets
(projects). Every write a caller needs is importable from here."""

from skillspassport.funding.services.funds import CriterionSpec, FundingError, fund_create
from skillspassport.funding.services.projects import (
    MilestoneSpec,
    agreement_record,
    milestone_complete,
    project_create,
    spend_record,
)
from skillspassport.funding.services.proposals import (
    assessor_assign,
    conflict_declare,
    independent_assessments,
    proposal_approval_confirm,
    proposal_decide,
    proposal_decision_reverse,
    proposal_submit,
    scores_submit,
)

__all__ = [
    "CriterionSpec",
    "FundingError",
    "MilestoneSpec",
    "agreement_record",
    "assessor_assign",
    "conflict_declare",
    "fund_create",
    "independent_assessments",
    "milestone_complete",
    "project_create",
    "proposal_approval_confirm",
    "proposal_decide",
    "proposal_decision_reverse",
    "proposal_submit",
    "scores_submit",
    "spend_record",
]
