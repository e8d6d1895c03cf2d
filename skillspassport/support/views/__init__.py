"""Casework pages, by what the caseworker is doing: referrals in (referrals), the case page with
its action plan and notes (cases), personal budgets and approvals (budget), devices (devices),
work placements (placements), and job starts with their sustainment checks (jobs). Views
authorise, bind a form, call one service."""

from skillspassport.support.views.budget import (
    approval_decide,
    approvals,
    budget_policy,
    receipt_download,
    spend_add,
    spend_cancel,
)
from skillspassport.support.views.cases import (
    case_close,
    case_detail,
    case_edit,
    goal_add,
    goal_edit,
    goal_status,
    note_add,
)
from skillspassport.support.views.devices import device_add, device_edit, device_return
from skillspassport.support.views.exports import caseload_export, referrals_export
from skillspassport.support.views.jobs import check_record, checks_due, job_start_add
from skillspassport.support.views.placements import placement_add, placement_outcome
from skillspassport.support.views.referrals import case_open, caseload

__all__ = [
    "approval_decide",
    "approvals",
    "budget_policy",
    "case_close",
    "case_detail",
    "case_edit",
    "case_open",
    "caseload",
    "caseload_export",
    "check_record",
    "checks_due",
    "device_add",
    "device_edit",
    "device_return",
    "goal_add",
    "goal_edit",
    "goal_status",
    "job_start_add",
    "note_add",
    "placement_add",
    "placement_outcome",
    "receipt_download",
    "referrals_export",
    "spend_add",
    "spend_cancel",
]
