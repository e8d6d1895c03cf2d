"""Funding pages: the funding home page and funds (funds), proposals with their assessment and
decision (proposals), and projects with their agreement, milestones, spend and outputs
(projects)."""

from skillspassport.funding.views.funds import fund_create, fund_detail, index
from skillspassport.funding.views.projects import (
    DRILL_PAGE_SIZE,
    agreement_record,
    milestone_complete,
    output_records,
    project_create,
    project_detail,
    spend_record,
)
from skillspassport.funding.views.proposals import (
    assessment,
    assessor_assign,
    my_assessments,
    proposal_confirm,
    proposal_create,
    proposal_decide,
    proposal_detail,
    proposal_reverse,
)

__all__ = [
    "DRILL_PAGE_SIZE",
    "agreement_record",
    "assessment",
    "assessor_assign",
    "fund_create",
    "fund_detail",
    "index",
    "milestone_complete",
    "my_assessments",
    "output_records",
    "project_create",
    "project_detail",
    "proposal_confirm",
    "proposal_create",
    "proposal_decide",
    "proposal_detail",
    "proposal_reverse",
    "spend_record",
]
