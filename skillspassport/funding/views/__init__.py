"""Funding pages."""

from skillspassport.funding.views.projects import (
    DRILL_PAGE_SIZE,
    agreement_record,
    assessment,
    assessor_assign,
    fund_create,
    fund_detail,
    index,
    milestone_complete,
    my_assessments,
    output_records,
    project_create,
    project_detail,
    proposal_create,
    proposal_decide,
    proposal_detail,
    spend_record,
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
    "proposal_create",
    "proposal_decide",
    "proposal_detail",
    "spend_record",
]
