"""Forms for declarations, scores, decisions, spend and milestones, with GOV.UK-style messages."""

from skillspassport.funding.forms.setup import (
    CRITERION_ROWS,
    MAX_MONEY,
    MILESTONE_ROWS,
    AgreementForm,
    AssessorForm,
    DecisionForm,
    DeclarationForm,
    FundForm,
    MilestoneCompleteForm,
    MoneyField,
    ProjectForm,
    ProposalForm,
    ScoresForm,
    SpendForm,
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
    "ScoresForm",
    "SpendForm",
]
