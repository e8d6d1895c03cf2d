"""Writes about employers: the employer, its sites and compact (employers), roles from adverts
(roles), opportunities (opportunities), referrals and their progress (referrals), job starts
and sustainment checks (sustainment). `EmployerError` (errors) carries a message for the user."""

from skillspassport.employers.services.employers import employer_create, pledge_sign, site_add
from skillspassport.employers.services.errors import EmployerError
from skillspassport.employers.services.opportunities import (
    opportunity_close_early,
    opportunity_create,
    opportunity_republish,
    opportunity_unpublish,
    opportunity_update,
    opportunity_withdraw,
    pledge_fit_problem,
)
from skillspassport.employers.services.referrals import (
    CONSENT_WITHDRAWN_REASON,
    STAGES,
    referral_create,
    referral_progress,
    referral_viewed,
    referral_withdraw,
    referrals_close_for_consent,
)
from skillspassport.employers.services.roles import role_create, role_update
from skillspassport.employers.services.sustainment import (
    SUSTAINMENT_WEEKS,
    job_start_record,
    sustainment_record,
)

__all__ = [
    "CONSENT_WITHDRAWN_REASON",
    "STAGES",
    "SUSTAINMENT_WEEKS",
    "EmployerError",
    "employer_create",
    "job_start_record",
    "opportunity_close_early",
    "opportunity_create",
    "opportunity_republish",
    "opportunity_unpublish",
    "opportunity_update",
    "opportunity_withdraw",
    "pledge_fit_problem",
    "pledge_sign",
    "referral_create",
    "referral_progress",
    "referral_viewed",
    "referral_withdraw",
    "referrals_close_for_consent",
    "role_create",
    "role_update",
    "site_add",
    "sustainment_record",
]
