"""What each role may do. The single table every access check reads.

Capabilities are granted per membership: a user holds a capability *for the residents of an
organisation* only through a membership of that organisation whose role grants it.
"""

from __future__ import annotations

from enum import StrEnum

from skillspassport.accounts.models import Role


class Capability(StrEnum):
    VIEW_RESIDENTS = "view_residents"  # list, search and open residents' records
    EDIT_RESIDENTS = "edit_residents"  # register, change details, record consent
    RECORD_EVIDENCE = "record_evidence"  # record or withdraw skills evidence
    RECORD_EQUALITY = "record_equality"  # enter equality answers (not read them back)
    VIEW_EQUALITY = "view_equality"  # read a resident's equality answers
    VIEW_AUDIT = "view_audit"  # read the audit log of a resident
    MANAGE_ORGANISATION = "manage_organisation"  # members, scheme settings, admin site
    VIEW_AGGREGATES = "view_aggregates"  # counts and reports without personal data
    ISSUE_CREDENTIALS = "issue_credentials"  # issue and share a resident's passport credential
    REVOKE_CREDENTIALS = "revoke_credentials"  # revoke or suspend an issued credential
    MANAGE_EMPLOYERS = "manage_employers"  # employer records, compacts, roles, opportunities
    REFER_RESIDENTS = "refer_residents"  # refer a consenting resident to an opportunity
    EMPLOYER_PORTAL = "employer_portal"  # act for one's own employer: roles, referrals to it
    RUN_TRAINING = "run_training"  # courses, cohorts, enrolment, attendance, completion
    MANAGE_CASES = "manage_cases"  # casework, action plans, budgets, devices, placements
    APPROVE_BUDGETS = "approve_budgets"  # approve personal budget spends above the threshold
    MANAGE_FUNDING = "manage_funding"  # funds, projects, proposals, agreements, spend
    ASSESS_PROPOSALS = "assess_proposals"  # score funding proposals one is assigned to
    EXPORT_CONTACTS = "export_contacts"  # download residents' contact details (outreach lists)
    DRAFT_REPORTS = "draft_reports"  # create, read, write and publish draft monitoring reports
    MANAGE_USERS = "manage_users"  # invite staff, change their roles, deactivate them
    HANDLE_RIGHTS_REQUESTS = "handle_rights_requests"  # subject access, erasure, retention
    MERGE_RESIDENTS = "merge_residents"  # merge two records of the same person


ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.ADMINISTRATOR: frozenset(Capability),
    Role.ADVISER: frozenset(
        {
            Capability.VIEW_RESIDENTS,
            Capability.EDIT_RESIDENTS,
            Capability.RECORD_EVIDENCE,
            Capability.RECORD_EQUALITY,
            Capability.VIEW_AGGREGATES,
            Capability.ISSUE_CREDENTIALS,
            Capability.MANAGE_EMPLOYERS,
            Capability.REFER_RESIDENTS,
            Capability.MANAGE_CASES,
            Capability.EXPORT_CONTACTS,
            Capability.MERGE_RESIDENTS,
        }
    ),
    Role.TUTOR: frozenset(
        {
            Capability.VIEW_RESIDENTS,
            Capability.RECORD_EVIDENCE,
            Capability.VIEW_AGGREGATES,
            Capability.RUN_TRAINING,
        }
    ),
    Role.VIEWER: frozenset({Capability.VIEW_RESIDENTS, Capability.VIEW_AGGREGATES}),
    Role.ANALYST: frozenset({Capability.VIEW_AGGREGATES}),
    # Councillors read figures and published reports: no personal data, no drafts.
    Role.COUNCILLOR: frozenset({Capability.VIEW_AGGREGATES}),
    Role.EMPLOYER_CONTACT: frozenset({Capability.EMPLOYER_PORTAL}),
    Role.PROGRAMME_MANAGER: frozenset(
        {
            Capability.VIEW_AGGREGATES,
            Capability.MANAGE_FUNDING,
            Capability.ASSESS_PROPOSALS,
            Capability.APPROVE_BUDGETS,
        }
    ),
}


def role_grants(role: str, capability: Capability) -> bool:
    return capability in ROLE_CAPABILITIES.get(role, frozenset())


def roles_with(capability: Capability) -> list[str]:
    return [role for role, caps in ROLE_CAPABILITIES.items() if capability in caps]
