"""What a partner API client may ask for: OAuth scopes, and the role its account holds.

A client acts through an *account*: a staff user of the partner organisation that nobody can
sign in as, holding one role there. Every access rule of the product applies to it unchanged
(`accounts.access`, the guarded selectors, consent at read time). The token's scopes narrow
that further: a call needs the scope its endpoint names *and* the capability the role gives.
"""

from __future__ import annotations

# OAuth 2.0 scopes of the partner API (the VC-API's "issue" scope stays as it was).
SCOPES: dict[str, str] = {
    "residents:read": "Read the residents the client's organisation may see",
    "residents:write": "Register residents with their consent records",
    "evidence:write": "Record skills evidence",
    "training": "Cohorts, enrolments, attendance and completions",
    "casework": "Referrals in to an employment service",
    "employer": "Opportunities, referral outcomes and sustainment checks",
}
