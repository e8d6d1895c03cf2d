"""Employers, their compact pledges, roles, opportunities, referrals and job outcomes.

An employer is an `accounts.Organisation` of kind "employer"; its contacts are users with the
employer-contact role in it. Everything an employer contact may see about residents reaches
them through a `Referral` to one of their opportunities — see `selectors/`. The employer, its
compact, roles and opportunities are in `organisations`; referrals, job starts and their
sustainment checks in `outcomes`.
"""

from skillspassport.employers.models.organisations import (
    LEVEL_CHOICES,
    STRANDS,
    EmployerProfile,
    JobRole,
    Opportunity,
    OpportunityQuerySet,
    OpportunityType,
    Pledge,
    RoleNeed,
    RoleSkill,
    SicSection,
    Site,
    SizeBand,
    SkillSource,
)
from skillspassport.employers.models.outcomes import (
    FULFILLED_ON,
    OPEN_STATUSES,
    START_KIND_OF_OPPORTUNITY,
    SUSTAINED_KINDS,
    ContractType,
    JobStart,
    JobStartQuerySet,
    Referral,
    ReferralQuerySet,
    ReferralStatus,
    StartKind,
    SustainmentCheck,
    SustainmentCheckQuerySet,
    SustainmentOutcome,
    WithdrawalCause,
)

__all__ = [
    "FULFILLED_ON",
    "LEVEL_CHOICES",
    "OPEN_STATUSES",
    "START_KIND_OF_OPPORTUNITY",
    "STRANDS",
    "SUSTAINED_KINDS",
    "ContractType",
    "EmployerProfile",
    "JobRole",
    "JobStart",
    "JobStartQuerySet",
    "Opportunity",
    "OpportunityQuerySet",
    "OpportunityType",
    "Pledge",
    "Referral",
    "ReferralQuerySet",
    "ReferralStatus",
    "RoleNeed",
    "RoleSkill",
    "SicSection",
    "Site",
    "SizeBand",
    "SkillSource",
    "StartKind",
    "SustainmentCheck",
    "SustainmentCheckQuerySet",
    "SustainmentOutcome",
    "WithdrawalCause",
]
