"""Writes about funding."""

from skillspassport.funding.services.proposals import (
    CriterionSpec,
    FundingError,
    MilestoneSpec,
    agreement_record,
    assessor_assign,
    conflict_declare,
    fund_create,
    milestone_complete,
    project_create,
    proposal_decide,
    proposal_submit,
    scores_submit,
    spend_record,
)

__all__ = [
    "CriterionSpec",
    "FundingError",
    "MilestoneSpec",
    "agreement_record",
    "assessor_assign",
    "conflict_declare",
    "fund_create",
    "milestone_complete",
    "project_create",
    "proposal_decide",
    "proposal_submit",
    "scores_submit",
    "spend_record",
]
