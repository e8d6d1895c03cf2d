"""Forms for declarations, scores, decisions, spend and milestones, with GOV.UK-style messages.

A package: `setup` (funds, proposals, assessors, projects), `appraisal` (conflicts, scores,
decisions) and `delivery` (agreements, milestones, spend). The money field is core's.
"""

from skillspassport.core.forms import MAX_MONEY, MoneyField
from skillspassport.funding.forms.appraisal import (
    DecisionForm,
    DeclarationForm,
    ReasonForm,
    ScoresForm,
)
from skillspassport.funding.forms.delivery import (
    MILESTONE_ROWS,
    AgreementForm,
    MilestoneCompleteForm,
    SpendForm,
)
from skillspassport.funding.forms.setup import (
    CRITERION_ROWS,
    AssessorForm,
    FundForm,
    ProjectForm,
    ProposalForm,
)

__all__ = [
    "CRITERION_ROWS",
    "MAX_MONEY",
    "MILESTONE_ROWS",
    "AgreementForm",
    "AssessorForm",
    "DecisionForm",
    "DeclarationForm",
    "FundForm",
    "MilestoneCompleteForm",
    "MoneyField",
    "ProjectForm",
    "ProposalForm",
    "ReasonForm",
    "ScoresForm",
    "SpendForm",
]
