"""Employer pages. Employers and the compact (employers), roles from job adverts (roles),
opportunities and matching (opportunities), referrals and outcomes (referrals), sustainment
checks (sustainment), and demand against supply (demand).

Views authorise through the guarded fetches in `selectors`, bind a form, call one service or
selector and render or redirect. Employer contacts reach residents only through referrals to
them.
"""

from skillspassport.employers.views.demand import demand
from skillspassport.employers.views.employers import (
    employer_create,
    employer_detail,
    employer_list,
    pledge_add,
    site_add,
)
from skillspassport.employers.views.exports import referrals_export
from skillspassport.employers.views.opportunities import (
    opportunity_add,
    opportunity_close,
    opportunity_detail,
    opportunity_edit,
    opportunity_list,
    opportunity_publish,
    opportunity_refer,
    resident_opportunities,
)
from skillspassport.employers.views.referrals import referral_credential, referral_detail
from skillspassport.employers.views.roles import role_add, role_edit
from skillspassport.employers.views.sustainment import check_record, checks_due

__all__ = [
    "check_record",
    "checks_due",
    "demand",
    "employer_create",
    "employer_detail",
    "employer_list",
    "opportunity_add",
    "opportunity_close",
    "opportunity_detail",
    "opportunity_edit",
    "opportunity_list",
    "opportunity_publish",
    "opportunity_refer",
    "pledge_add",
    "referral_credential",
    "referral_detail",
    "referrals_export",
    "resident_opportunities",
    "role_add",
    "role_edit",
    "site_add",
]
